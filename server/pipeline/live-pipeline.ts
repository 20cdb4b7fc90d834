// The live pipeline, wired with rxjs: capture -> paced release -> windowed graph ->
// (every rebundle interval, if the graph changed) picture worker -> frames.
// Newest wins: while the worker is busy, ticks are ignored (exhaustMap), and the next
// tick takes the graph as it is then.
import { Subject, Subscription, interval, timer, EMPTY, from, merge } from 'rxjs';
import { exhaustMap, filter, catchError, map } from 'rxjs/operators';
import { HostTable } from '../../shared/graph/hosts.js';
import { TrafficGraph } from '../../shared/graph/traffic-graph.js';
import { WindowRecords } from '../../shared/graph/window-records.js';
import { hostDetail, type HostDetail } from '../../shared/graph/host-detail.js';
import { RateSeries } from '../../shared/graph/rate-series.js';
import { hostsOnEdges } from '../../shared/graph/hosts-on-edges.js';
import { NO_HOST, emptySkipCounts, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import { PROTOCOL_VERSION, FRAME_HEADER_BYTES, FrameEncoding, writeFrameHeader, type Stats, type RateSample, type ReplayState, type CaptureCounters } from '../../shared/protocol.js';
import { ReplayPacer, type ReplaySpeed } from '../replay/pacer.js';
import { replay } from '../replay/replay.js';
import { PictureRenderer } from './picture-renderer.js';
import type { EdgeMode, GraphPictureInput, ShadeHow } from './graph-picture.js';
import type { PictureJob } from './picture-job.js';

/** What the pipeline needs from a capture: a fresh stream of batches per pass, and counters. */
/** Longest per-second series of one host's traffic. */
const SERIES_SECONDS = 3600;

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
  picture?: Pick<GraphPictureInput, 'cmap' | 'background' | 'layers' | 'layout' | 'hostDots'>;
  /** Address of a host to highlight with its edges (looked up each frame; nothing while it is unseen). */
  highlight?: string | null;
  /** Draws the edges that first appeared within the current window in their own colour. */
  newEdges?: boolean;
}

export interface Frame {
  seq: number;
  captureTime: number;
  /** Header + PNG, ready to send as one binary WebSocket message. */
  bytes: Uint8Array;
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
  latestFrame: Frame | null = null;
  packets = 0;
  bytes = 0;
  sourceDone = false;
  lastFrameSeconds: number | null = null;

  private readonly options: LivePipelineOptions;
  private readonly pacer: ReplayPacer;
  private readonly renderer = new PictureRenderer();
  private readonly subscriptions = new Subscription();
  private skippedBefore = emptySkipCounts();
  private current: { stats(): { skipped: SkipCounts; warning: string | null; capture?: CaptureCounters } } | null = null;
  private warning: string | null = null;
  private renderedVersion = -1;
  private seq = 0;
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
  }

  start(): void {
    const { source, rebundleMs, windowSeconds } = this.options;
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

    // First picture soon after data arrives, then at most once per rebundle interval.
    const ticks$ = merge(timer(250, 250).pipe(filter(() => this.renderedVersion < 0)), interval(rebundleMs));
    this.subscriptions.add(ticks$.pipe(
      map(() => { this.graph.advanceTo(this.pacer.captureNow(Date.now(), this.graph.newestTime + this.options.windowSeconds)); }),
      filter(() => this.graph.version !== this.renderedVersion && this.graph.edgeCount > 0),
      exhaustMap(() => {
        const version = this.graph.version;
        const job = this.buildJob();
        return from(this.renderer.render(job)).pipe(
          map((result) => ({ result, version, captureTime: this.graph.newestTime })),
          catchError((err: unknown) => { this.errors.next(err instanceof Error ? err : new Error(String(err))); return EMPTY; }),
        );
      }),
    ).subscribe(({ result, version, captureTime }) => {
      this.renderedVersion = version;
      this.lastFrameSeconds = (result.bundleMs + result.renderMs + result.encodeMs) / 1000;
      const bytes = new Uint8Array(FRAME_HEADER_BYTES + result.png.byteLength);
      writeFrameHeader({
        version: PROTOCOL_VERSION, encoding: FrameEncoding.png, width: result.width, height: result.height,
        seq: result.seq, captureTime,
      }, bytes);
      bytes.set(result.png, FRAME_HEADER_BYTES);
      const frame: Frame = { seq: result.seq, captureTime, bytes };
      this.latestFrame = frame;
      this.frames.next(frame);
    }));
  }

  async stop(): Promise<void> {
    this.subscriptions.unsubscribe();
    this.frames.complete();
    await this.renderer.close();
  }

  /** Changes the frame size; the next tick draws at it even if the graph did not change. */
  setFrameSize(width: number, height: number): void {
    const o = this.options;
    if (o.frameWidth === width && o.frameHeight === height) return;
    o.frameWidth = width;
    o.frameHeight = height;
    this.renderedVersion = -1;
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
    this.renderedVersion = -1;
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
    // The series spans what the records hold of the window, at most its last hour.
    const from = Math.min(end, Math.max(end - this.options.windowSeconds, r.coveredFrom, r.oldestTime, end - SERIES_SECONDS + 1));
    const detail = hostDetail(r, id, { top, from, to: end });
    return detail.packetsIn + detail.packetsOut > 0 ? detail : null;
  }

  private buildJob(): PictureJob {
    const w = this.graph.windowEdges();
    const activeHosts = hostsOnEdges(w.source, w.target, this.hosts.size);
    const n = this.hosts.size;
    const o = this.options;
    return {
      seq: ++this.seq,
      input: {
        hostIds: this.graph.seenHosts(),
        hostFamily: this.hosts.family.slice(0, n),
        hostWords: this.hosts.words.slice(0, 4 * n),
        edgeSource: w.source, edgeTarget: w.target, edgeWeight: w.bytes, edgeProto: w.proto,
        activeHosts,
        width: o.frameWidth, height: o.frameHeight, how: o.how, mode: o.mode, bundle: o.bundle,
        ...o.picture,
        highlightHost: o.highlight ? this.hosts.lookupText(o.highlight) : -1,
        ...(o.newEdges ? { highlightEdges: newInWindow(w.firstSeen, this.graph.newestTime - o.windowSeconds) } : {}),
      },
    };
  }
}

/** 1 for each edge first seen after `since` (capture seconds), else 0. */
export function newInWindow(firstSeen: Float64Array, since: number): Uint8Array {
  const flags = new Uint8Array(firstSeen.length);
  for (let k = 0; k < firstSeen.length; k++) flags[k] = firstSeen[k] > since ? 1 : 0;
  return flags;
}
