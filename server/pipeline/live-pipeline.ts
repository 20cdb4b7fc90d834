// The live pipeline, wired with rxjs: capture -> paced release -> windowed graph ->
// (per view, every its re-bundle interval, if its graph changed) picture worker -> frames.
// A view is one set of picture settings (the server's own, or viewers'; see view-settings.ts),
// drawn at one size. Views fall due at multiples of their interval, so views of one interval
// are due together. Each round draws the views that are due, at most MAX_VIEWS_PER_ROUND, the
// longest waiting first; views that share a graph key go to the worker as one job, placed and
// bundled once. Newest wins: while the worker is busy, ticks are ignored (exhaustMap), and
// the next round takes the graph as it is then.
import { Subject, Subscription, interval, EMPTY, from } from 'rxjs';
import { exhaustMap, filter, catchError, map } from 'rxjs/operators';
import { HostTable } from '../../shared/graph/hosts.js';
import { TrafficGraph } from '../../shared/graph/traffic-graph.js';
import { WindowRecords } from '../../shared/graph/window-records.js';
import { hostDetail, type HostDetail } from '../../shared/graph/host-detail.js';
import { RateSeries } from '../../shared/graph/rate-series.js';
import { hostsOnEdges } from '../../shared/graph/hosts-on-edges.js';
import { filterEdges, keepsAll } from '../../shared/graph/edge-filter.js';
import { NO_HOST, emptySkipCounts, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import {
  PROTOCOL_VERSION, FRAME_HEADER_BYTES, FrameEncoding, writeFrameHeader, sameHostPositions, setHostPositionsPlacing,
  type Stats, type RateSample, type ReplayState, type CaptureCounters, type ViewerSettings,
} from '../../shared/protocol.js';
import { ReplayPacer, type ReplaySpeed } from '../replay/pacer.js';
import { replay } from '../replay/replay.js';
import { PictureCancelled, PictureRenderer } from './picture-renderer.js';
import type { EdgeMode, GraphPictureInput, ShadeHow } from './graph-picture.js';
import type { PictureJob } from './picture-job.js';
import { graphKey, protocolMask, serverViewSettings, viewKey } from './view-settings.js';

/** Longest per-second series of one host's traffic. */
const SERIES_SECONDS = 3600;
/** How often due views are looked for (ms): a view's frames keep their interval's phase, late by at most this. */
const TICK_MS = 50;
/**
 * Views drawn per round at most: beyond, the views that have waited longest go first (a view
 * whose settings just changed has waited longest of all), so each is drawn less often.
 */
export const MAX_VIEWS_PER_ROUND = 8;

/** What the pipeline needs from a capture: a fresh stream of batches per pass, and counters. */
export interface PipelineSource {
  description: string;
  /** False for sources that cannot be read twice (stdin, live): no loop, no seek. */
  reopenable?: boolean;
  open(hosts: HostTable): Promise<{
    batches(): AsyncIterable<PacketBatch>;
    stats(): { skipped: SkipCounts; warning: string | null; capture?: CaptureCounters };
  }>;
  /**
   * Optional: opens the capture part way in, at a point before which every row is earlier
   * than `time` (capture seconds); null when it knows none (the pipeline re-reads from the start).
   */
  openBefore?(hosts: HostTable, time: number): Promise<Awaited<ReturnType<PipelineSource['open']>> | null>;
}

export interface LivePipelineOptions {
  source: PipelineSource;
  speed: ReplaySpeed;
  loop: boolean;
  windowSeconds: number;
  frameWidth: number;
  frameHeight: number;
  rebundleMs: number;
  how: ShadeHow;
  mode: EdgeMode;
  bundle: boolean;
  /** The rest of the picture options (colormap, layers, layout ...): see GraphPictureInput. */
  picture?: Pick<GraphPictureInput, 'cmap' | 'background' | 'layers' | 'layout' | 'hostDots' | 'aggregate' | 'antialias'>;
  /** Address of a host the server's own view highlights with its edges (ViewerSettings.highlight). */
  highlight?: string | null;
  /** Draws the edges that first appeared within the current window in their own colour. */
  newEdges?: boolean;
}

export interface Frame {
  seq: number;
  captureTime: number;
  /** Header + PNG, ready to send as one binary WebSocket message. */
  bytes: Uint8Array;
  /** The key of the view it was drawn for (ViewSpec.key). */
  view: string;
  /** The positions of the hosts it draws (sent before it to viewers that hit-test), or null. */
  hosts: HostPositionsMessage | null;
}

/** A host positions message (shared/protocol.ts), encoded once for all the viewers of a graph. */
export interface HostPositionsMessage {
  placing: number;
  bytes: Uint8Array;
}

/** A set of picture settings to draw, and the size to draw it at. */
export interface ViewSpec {
  /** viewKey(settings): equal for equal settings. */
  key: string;
  settings: ViewerSettings;
  width: number;
  height: number;
}

interface ViewState {
  spec: ViewSpec;
  graphKey: string;
  /** When it is next due (Date.now() ms): a multiple of its interval from the pipeline's start, so views of one interval fall due together. */
  dueAt: number;
  /** The graph stamp of its newest frame at its current size, or null. */
  drawnStamp: string | null;
  latestFrame: Frame | null;
}

export class LivePipeline {
  readonly hosts = new HostTable();
  /** Replaced on seek and loop: the window starts afresh there. */
  graph: TrafficGraph;
  /** The window's packet records, for questions about one host. */
  readonly records = new WindowRecords();
  rates = new RateSeries(3600);
  readonly frames = new Subject<Frame>();
  readonly errors = new Subject<Error>();
  /** The server's own picture settings (what a viewer has until it asks for others). */
  readonly serverSettings: ViewerSettings;
  packets = 0;
  bytes = 0;
  sourceDone = false;
  /** Capture time of the last packet of the newest pass to end (the clock stops there once the source is done). */
  private passEnd = -Infinity;
  lastFrameSeconds: number | null = null;

  private readonly options: LivePipelineOptions;
  private readonly pacer: ReplayPacer;
  private readonly renderer = new PictureRenderer();
  /** The graph of the picture job under way, if any (abandonStale). */
  private drawing: { graphKey: string; epoch: number } | null = null;
  private readonly subscriptions = new Subscription();
  private skippedBefore = emptySkipCounts();
  private current: { stats(): { skipped: SkipCounts; warning: string | null; capture?: CaptureCounters } } | null = null;
  private warning: string | null = null;
  private views = new Map<string, ViewState>();
  /** Per graph key, its newest placing's host positions: a placing equal to the last keeps its number, so viewers get it once. */
  private readonly placings = new Map<string, HostPositionsMessage>();
  private placingSeq = 0;
  private readonly serverKey: string;
  /** Views fall due at multiples of their interval from here (ms). */
  private readonly clockStart = Date.now();
  /** Counts window restarts (seek, loop): graph stamps differ across them. */
  private epoch = 0;
  private seq = 0;
  private jobSeq = 0;
  private loop: boolean;
  /** Whether the pass being read began at the capture's first row (only such a pass knows its range). */
  private passFromStart = true;
  private pendingSeek: number | null = null;
  /** The capture's time range, known after the first full pass. */
  private range: { start: number; end: number } | null = null;

  constructor(options: LivePipelineOptions) {
    this.options = options;
    this.graph = new TrafficGraph({ windowSeconds: options.windowSeconds });
    this.pacer = new ReplayPacer({ speed: options.speed });
    this.loop = options.loop;
    const p = options.picture;
    this.serverSettings = serverViewSettings({ ...options, cmap: p?.cmap, layout: p?.layout, aggregate: p?.aggregate, antialias: p?.antialias });
    this.serverKey = viewKey(this.serverSettings);
    this.setViews([]);
  }

  /** The newest frame drawn with the server's own settings (the wall's; exports), or null. */
  get latestFrame(): Frame | null {
    return this.views.get(this.serverKey)?.latestFrame ?? null;
  }

  /** The newest frame of a view, or null (none yet, or no such view). */
  latestFrameOf(key: string): Frame | null {
    return this.views.get(key)?.latestFrame ?? null;
  }

  /** The configured frame size: of every view, unless the transport sizes views by their viewers. */
  get frameWidth(): number {
    return this.options.frameWidth;
  }

  get frameHeight(): number {
    return this.options.frameHeight;
  }

  /**
   * The views to draw from now on (the viewers' settings and sizes), replacing the last list.
   * The server's own is always drawn, at the configured frame size when the list lacks it. A view
   * new or resized is drawn in the next round.
   */
  setViews(specs: readonly ViewSpec[]): void {
    const list = specs.some((v) => v.key === this.serverKey) ? specs
      : [...specs, { key: this.serverKey, settings: this.serverSettings, width: this.options.frameWidth, height: this.options.frameHeight }];
    const next = new Map<string, ViewState>();
    for (const spec of list) {
      const old = this.views.get(spec.key);
      if (old === undefined) {
        next.set(spec.key, { spec, graphKey: graphKey(spec.settings), dueAt: 0, drawnStamp: null, latestFrame: null });
        continue;
      }
      if (old.spec.width !== spec.width || old.spec.height !== spec.height) { old.drawnStamp = null; old.dueAt = 0; }
      old.spec = spec;
      next.set(spec.key, old);
    }
    this.views = next;
    const graphs = new Set([...next.values()].map((v) => v.graphKey));
    for (const key of this.placings.keys()) if (!graphs.has(key)) this.placings.delete(key);
    this.abandonStale();
  }

  /**
   * Abandons the picture job under way when nobody wants its graph any more: after a seek or
   * a loop (a new window), or when no view draws its graph key now (settings changed). A job
   * whose graph merely moved on since is left to finish: abandoning those would starve a
   * bundling longer than the re-bundle interval.
   */
  private abandonStale(): void {
    const d = this.drawing;
    if (d === null) return;
    let wanted = d.epoch === this.epoch;
    if (wanted) {
      wanted = false;
      for (const v of this.views.values()) if (v.graphKey === d.graphKey) { wanted = true; break; }
    }
    if (!wanted) this.renderer.cancel();
  }

  start(): void {
    const { source, windowSeconds } = this.options;
    const released$ = replay({
      open: (skipBefore) => this.openPass(source, skipBefore),
      pacer: this.pacer,
      control: {
        loop: () => this.loop,
        takeSeek: () => { const t = this.pendingSeek; this.pendingSeek = null; return t; },
      },
      reopenable: source.reopenable !== false,
      seekLeadSeconds: windowSeconds,
      onPassEnd: (_pass, first, last) => this.endPass(first, last),
      onRestart: () => this.restartWindow(),
    });
    this.subscriptions.add(released$.subscribe({
      next: ({ batch, start, end }) => this.ingest(batch, start, end),
      error: (err: unknown) => {
        this.sourceDone = true;
        this.warning = err instanceof Error ? err.message : String(err);
        this.errors.next(err instanceof Error ? err : new Error(String(err)));
      },
      complete: () => { this.sourceDone = true; },
    }));

    this.subscriptions.add(interval(TICK_MS).pipe(
      map(() => {
        // The window moves on with the capture clock while traffic is quiet (a live source's
        // picture empties as it should), but not past the last packet of a finished replay:
        // its last window stays on screen.
        const now = this.pacer.captureNow(Date.now(), this.graph.newestTime + this.options.windowSeconds);
        this.graph.advanceTo(this.sourceDone ? Math.min(now, this.passEnd) : now);
        this.records.dropBefore(this.graph.newestTime - this.options.windowSeconds);
        return this.dueViews(Date.now());
      }),
      filter((due) => due.length > 0 && this.graph.edgeCount > 0),
      exhaustMap((due) => from(this.drawRound(due)).pipe(
        catchError((err: unknown) => { this.errors.next(err instanceof Error ? err : new Error(String(err))); return EMPTY; }),
      )),
    ).subscribe());
  }

  /** The views due at `now` whose graph changed since their last frame, the longest waiting first, at most MAX_VIEWS_PER_ROUND. */
  private dueViews(now: number): ViewState[] {
    const due: ViewState[] = [];
    for (const v of this.views.values()) if (now >= v.dueAt && v.drawnStamp !== this.stampOf(v)) due.push(v);
    due.sort((a, b) => a.dueAt - b.dueAt);
    return due.slice(0, MAX_VIEWS_PER_ROUND);
  }

  /** What a view's graph is made from: equal stamps (for equal graph keys) draw equal graphs. */
  private stampOf(v: ViewState): string {
    const seconds = v.spec.settings.windowSeconds;
    const stamp = `${this.epoch}:${this.graph.version}`;
    return seconds >= this.options.windowSeconds ? stamp : `${stamp}:${this.graph.recentStart(seconds)}`;
  }

  /** Draws `due`, one worker job per graph key, sending each frame as its job comes back. */
  private async drawRound(due: ViewState[]): Promise<void> {
    const started = Date.now();
    const byGraph = new Map<string, ViewState[]>();
    for (const v of due) {
      // The next multiple of the interval: views of one graph and interval are drawn in one job.
      const period = v.spec.settings.rebundleSeconds * 1000;
      v.dueAt = period > 0 ? this.clockStart + (Math.floor((started - this.clockStart) / period) + 1) * period : started;
      const list = byGraph.get(v.graphKey);
      if (list) list.push(v); else byGraph.set(v.graphKey, [v]);
    }
    for (const [key, views] of byGraph) {
      const stamp = this.stampOf(views[0]);
      const specs = views.map((v) => v.spec);
      const captureTime = this.graph.newestTime;
      try {
        this.drawing = { graphKey: key, epoch: this.epoch };
        const result = await this.renderer.render(this.buildJob(key, specs, stamp));
        const hosts = this.placingOf(key, result.hostPositions);
        let drawMs = result.bundleMs;
        result.frames.forEach((f, i) => {
          drawMs += f.renderMs + f.encodeMs;
          const bytes = new Uint8Array(FRAME_HEADER_BYTES + f.png.byteLength);
          const seq = ++this.seq;
          writeFrameHeader({ version: PROTOCOL_VERSION, encoding: FrameEncoding.png, width: f.width, height: f.height, seq, placing: hosts.placing, captureTime }, bytes);
          bytes.set(f.png, FRAME_HEADER_BYTES);
          const frame: Frame = { seq, captureTime, bytes, view: specs[i].key, hosts };
          const state = this.views.get(specs[i].key);
          if (state !== undefined) {
            state.latestFrame = frame;
            // Drawn at the size asked when the job was made: a view resized since is drawn again.
            if (state.spec.width === specs[i].width && state.spec.height === specs[i].height) state.drawnStamp = stamp;
          }
          this.frames.next(frame);
        });
        this.lastFrameSeconds = drawMs / 1000;
      } catch (err) {
        // Abandoned (abandonStale): the views are drawn again when next due. A failure is not
        // tried again until the graph changes.
        if (err instanceof PictureCancelled) continue;
        for (const v of views) v.drawnStamp = stamp;
        this.errors.next(err instanceof Error ? err : new Error(String(err)));
      } finally {
        this.drawing = null;
      }
    }
  }

  /** The graph's host positions: its last message when they are the same, else `bytes` under a new placing number. */
  private placingOf(key: string, bytes: Uint8Array): HostPositionsMessage {
    const last = this.placings.get(key);
    if (last !== undefined && sameHostPositions(last.bytes, bytes)) return last;
    const placing = ++this.placingSeq;
    setHostPositionsPlacing(bytes, placing);
    const message = { placing, bytes };
    this.placings.set(key, message);
    return message;
  }

  async stop(): Promise<void> {
    this.subscriptions.unsubscribe();
    this.frames.complete();
    await this.renderer.close();
  }

  /** Replay controls: they act on the shared capture clock, for every viewer. */
  pause(): void { this.pacer.pause(Date.now()); }
  resume(): void { this.pacer.resume(Date.now()); }
  setSpeed(speed: ReplaySpeed): void { this.pacer.setSpeed(speed, Date.now()); }
  setLoop(loop: boolean): void {
    if (loop && this.options.source.reopenable === false) throw new RangeError(`${this.options.source.description} cannot be re-read, so it cannot loop`);
    this.loop = loop;
  }

  /** Seeks to capture time `t` (seconds); before the first full pass, any time is accepted. */
  seek(t: number): void {
    if (!Number.isFinite(t)) throw new RangeError(`seek time must be a finite number of seconds, got ${t}`);
    if (this.options.source.reopenable === false) throw new RangeError(`${this.options.source.description} cannot be re-read, so it cannot seek`);
    if (this.range && (t < this.range.start || t > this.range.end)) {
      throw new RangeError(`seek time ${t} is outside the capture (${this.range.start} .. ${this.range.end})`);
    }
    this.pendingSeek = t;
  }

  replayState(): ReplayState {
    return {
      paused: this.pacer.paused, speed: this.pacer.speed, loop: this.loop,
      start: this.range?.start ?? null, end: this.range?.end ?? null,
      seekable: this.options.source.reopenable !== false,
    };
  }

  /** Counters for /api/stats (the transport adds its own viewer and frame counts). */
  stats(): Omit<Stats, 'framesSent' | 'framesDropped' | 'viewers' | 'eventLoopMaxMs'> {
    const skipped = { ...this.skippedBefore };
    const now = this.current?.stats();
    if (now) for (const k of Object.keys(skipped) as (keyof SkipCounts)[]) skipped[k] += now.skipped[k];
    const { edges, hosts } = this.graph.windowCounts();
    const o = this.options;
    return {
      packets: this.packets,
      bytes: this.bytes,
      hosts: this.graph.hostsSeen,
      windowHosts: hosts,
      edges,
      totalEdges: this.graph.edgeCount,
      captureTime: this.packets > 0 ? this.graph.newestTime : null,
      windowSeconds: this.options.windowSeconds,
      skipped,
      source: this.options.source.description,
      sourceDone: this.sourceDone,
      warning: now?.warning ?? this.warning,
      speed: this.pacer.speed,
      replay: this.replayState(),
      capture: now?.capture ?? null,
      lastFrameSeconds: this.lastFrameSeconds,
      views: this.views.size,
      picture: {
        how: o.how, cmap: o.picture?.cmap ?? 'fire', layers: o.picture?.layers ?? false, layout: o.picture?.layout ?? 'circular',
        newEdges: o.newEdges ?? false, highlight: o.highlight ?? null,
      },
    };
  }

  recentRates(seconds: number): RateSample[] {
    return this.rates.recent(seconds);
  }

  private async *openPass(source: PipelineSource, skipBefore: number): AsyncIterable<PacketBatch> {
    const near = skipBefore > -Infinity && source.openBefore ? await source.openBefore(this.hosts, skipBefore) : null;
    const capture = near ?? await source.open(this.hosts);
    this.passFromStart = near === null;
    this.current = capture;
    yield* capture.batches();
  }

  private endPass(first: number, last: number): void {
    this.passEnd = last;
    if (this.range === null && this.passFromStart && first <= last) this.range = { start: first, end: last };
    this.sourceDone = !this.loop;
    const s = this.current?.stats();
    if (s) {
      for (const k of Object.keys(this.skippedBefore) as (keyof SkipCounts)[]) this.skippedBefore[k] += s.skipped[k];
      this.warning = s.warning ?? this.warning;
    }
    this.current = null;
  }

  private restartWindow(): void {
    this.graph = new TrafficGraph({ windowSeconds: this.options.windowSeconds });
    this.records.clear();
    this.rates = new RateSeries(3600);
    this.epoch++;
    // The new window's first picture as soon as it has traffic.
    for (const v of this.views.values()) v.dueAt = 0;
    this.abandonStale();
    this.sourceDone = false;
  }

  private ingest(batch: PacketBatch, start: number, end: number): void {
    this.packets += end - start;
    for (let i = start; i < end; i++) if (batch.src[i] !== NO_HOST) this.bytes += batch.bytes[i];
    const hostsBefore = this.graph.hostsSeen;
    this.graph.add(batch, start, end);
    this.rates.add(batch, start, end);
    // New hosts counted in the second the batch reaches (batches span well under a second when paced).
    if (end > start) this.rates.addNewHosts(batch.time[end - 1], this.graph.hostsSeen - hostsBefore);
    this.records.add(batch, start, end);
    this.records.dropBefore(this.graph.newestTime - this.options.windowSeconds);
  }

  /** One host's traffic in the window (by address text), or null when it has none there. */
  hostDetail(address: string, top: number): HostDetail | null {
    const id = this.hosts.lookupText(address);
    if (id < 0) return null;
    const end = this.graph.newestTime, r = this.records;
    if (!Number.isFinite(end)) return null; // nothing in the window yet (a new pass or seek)
    // The series spans what the records hold of the window, at most its last hour.
    const from = Math.min(end, Math.max(end - this.options.windowSeconds, r.coveredFrom, r.oldestTime, end - SERIES_SECONDS + 1));
    const detail = hostDetail(r, id, { top, from, to: end });
    return detail.packetsIn + detail.packetsOut > 0 ? detail : null;
  }

  /** One job drawing `specs`, views of one graph key (so of one window, filters and layout). */
  private buildJob(key: string, specs: ViewSpec[], stamp: string): PictureJob {
    const s = specs[0].settings;
    const o = this.options;
    const filter = { protocolMask: protocolMask(s.protocols), minBytes: s.minBytes, topEdges: s.topEdges };
    const recent = this.graph.recentEdges(s.windowSeconds);
    const w = keepsAll(filter) ? recent : filterEdges(recent, filter);
    const n = this.hosts.size;
    return {
      seq: ++this.jobSeq,
      input: {
        hostIds: this.graph.seenHosts(),
        hostFamily: this.hosts.family.slice(0, n),
        hostWords: this.hosts.words.slice(0, 4 * n),
        edgeSource: w.source, edgeTarget: w.target, edgeWeight: w.bytes, edgeProto: w.proto,
        activeHosts: hostsOnEdges(w.source, w.target, n),
        width: o.frameWidth, height: o.frameHeight, how: s.how, mode: s.mode, bundle: o.bundle,
        ...o.picture,
        layout: s.layout,
        ...(o.newEdges ? { highlightEdges: newInWindow(w.firstSeen, this.graph.newestTime - s.windowSeconds) } : {}),
      },
      views: specs.map(({ settings: v, width, height }) => ({
        width, height, how: v.how, mode: v.mode, cmap: v.cmap, aggregate: v.aggregate, antialias: v.antialias, region: v.region ?? undefined,
        // Looked up each frame: a host not (or no longer) in the window highlights nothing.
        highlightHost: v.highlight === null ? -1 : this.hosts.lookupText(v.highlight),
      })),
      reuse: { painter: key, stamp },
    };
  }
}

/** 1 for each edge first seen after `since` (capture seconds), else 0. */
export function newInWindow(firstSeen: Float64Array, since: number): Uint8Array {
  const flags = new Uint8Array(firstSeen.length);
  for (let k = 0; k < firstSeen.length; k++) flags[k] = firstSeen[k] > since ? 1 : 0;
  return flags;
}
