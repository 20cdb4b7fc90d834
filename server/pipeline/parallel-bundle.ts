// Parallel KDE edge bundling: the same bundling as shared/bundle/hammer.ts's hammerBundle,
// with the kept edges split across worker threads (../workers/bundle-worker.ts) that share
// the density grid and step field through SharedArrayBuffers and meet at Atomics barriers.
// The result is hammerBundle's (same arithmetic), except that the density is summed from
// per-worker parts: with weights whose sums round, a density value can differ in its last
// bit, and a vertex then, rarely, takes a different cell.
//
// The workers start on the first bundle and stay for the next (keeping the process alive only
// while they work): starting one costs far more than a small bundling. One bundling at a time; the caller decides what to drop.
import type { Worker } from 'node:worker_threads';
import {
  type BundleParams, type BundlePlan, type BundleResult, type BundleState, type WarmStart,
  bundleState, checkEdgeKeys, coldFlags, edgeStartVertices, joinOffsets, joinPolylines, matchPrevious, planBundle, splitEdges, warmPlan,
} from '../../shared/bundle/hammer.js';
import type { PolylineStore } from '../../shared/bundle/polylines.js';
import { coarseWidth } from '../../shared/bundle/density.js';
import { startWorker } from './worker-thread.js';

/** The grids the workers share; allocated once per grid width and reused. */
export interface BundleShare {
  /** One partial density (Float32, width^2) per worker: each counts its own edges' vertices. */
  partials: SharedArrayBuffer[];
  /** Density blurred along x (Float32, width^2). */
  blurred: SharedArrayBuffer;
  /** Blurred density (Float32, width^2). */
  density: SharedArrayBuffer;
  /** Density of wide blurs at half resolution (Float32, coarseWidth^2; shared/bundle/density.ts). */
  coarse: SharedArrayBuffer;
  /** Step field (Int8, 2 * width^2). */
  field: SharedArrayBuffer;
  /** Flow map of the step field (Int8, 2 * width^2; shared/bundle/advect.ts). */
  flow: SharedArrayBuffer;
  /** Each worker's maximum of its columns of the density (Float64 per worker). */
  maxes: SharedArrayBuffer;
  /** Barrier state (Int32 x 3): SYNC_ARRIVED, SYNC_GENERATION, SYNC_ABORTED. */
  sync: SharedArrayBuffer;
  /** Each worker's finished vertices and rounds' vertices (Int32 x 2 per worker), for placing them in the output. */
  counts: SharedArrayBuffer;
}

/**
 * Where the workers write a bundling's result, one after another in edge order, so that it
 * need not be sent back and copied together (for a warm start's state, ~24 bytes a vertex:
 * 6 ms of a 54 ms warm start of the 8,218-edge graph). Sized by outputRoom (below); a result
 * that does not fit comes back in the workers' messages instead.
 */
export interface BundleOutput {
  /** Finished vertices (Float64 x,y). */
  points: SharedArrayBuffer;
  /** The rounds' polylines (Int32 x,y), when kept for a warm start; null otherwise. */
  lines: SharedArrayBuffer | null;
}

/** Output room over the edges' start vertices: bundled edges measured 1.3-1.6 times them. */
const OUTPUT_ROOM = 2.5;
/** A new output buffer's size over what the bundling needs (outputBuffer). */
const OUTPUT_SLACK = 1.25;
/** Most released output memory kept for later bundlings: a live graph's two (points, lines) several times over. */
const SPARE_BYTES = 256 << 20;

export const SYNC_ARRIVED = 0;
export const SYNC_GENERATION = 1;
export const SYNC_ABORTED = 2;

export interface BundleWorkerJob {
  /** This worker's number, 0 .. parties-1: its partial grid, rows and columns. */
  index: number;
  parties: number;
  plan: BundlePlan;
  nodeXY: Float64Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  /** This worker's kept edges: plan.edgeIndex[first .. end-1]. */
  first: number;
  end: number;
  /** A warm start: the previous state and the match of this worker's edges (hammer.ts matchPrevious); null: cold. */
  warm: { previous: BundleState; match: Int32Array } | null;
  /** Whether to keep the polylines as the rounds left them (for the next warm start). */
  keepLines: boolean;
  share: BundleShare;
  output: BundleOutput;
}

/**
 * A worker's answer to its one job (a worker has one job at a time, so no id is needed): its
 * edges' offsets (from 0) into the finished vertices and, with keepLines, into the rounds'
 * polylines; the vertices themselves are in the shared output after those of the workers
 * before it (`points` and `lines.xy` null), or here when the whole result did not fit there.
 */
export type BundleWorkerReply =
  | { ok: true; points: Float64Array | null; offsets: Uint32Array; lines: { xy: Int32Array | null; offsets: Uint32Array } | null; workMs: number }
  | { ok: false; aborted: boolean; error: string };

/**
 * Releases every worker waiting at (or coming to) a barrier of `sync`; they fail with an
 * "aborted" error. The flag is set before the generation moves (see the worker's barrier).
 */
export function abortBundleWorkers(sync: Int32Array): void {
  Atomics.store(sync, SYNC_ABORTED, 1);
  Atomics.add(sync, SYNC_GENERATION, 1);
  Atomics.notify(sync, SYNC_GENERATION);
}

/** A bundling abandoned by ParallelBundler.cancel(). */
export class BundleCancelled extends Error {
  constructor() {
    super('bundling cancelled: a newer graph arrived');
    this.name = 'BundleCancelled';
  }
}

interface Pending {
  resolve: (reply: BundleWorkerReply) => void;
  reject: (err: Error) => void;
}

export class ParallelBundler {
  private readonly workers: (Worker | null)[];
  private readonly pending: (Pending | null)[];
  private share: BundleShare | null = null;
  private shareWidth = 0;
  private busy = false;
  private cancelled = false;
  /** Each worker's share of the work (rebalance). */
  private readonly shares: Float64Array;
  /** Output buffers this bundler allocated (only those are taken back by release). */
  private readonly outputs = new WeakSet<SharedArrayBuffer>();
  /** Released output buffers, oldest first, and their total size. */
  private spare: SharedArrayBuffer[] = [];
  private spareBytes = 0;

  /**
   * `threads` worker threads (2 on this project's 2-core machines); `outputRoom`: the shared
   * output's room over the edges' start vertices (BundleOutput).
   */
  constructor(readonly threads = 2, private readonly outputRoom = OUTPUT_ROOM) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    this.workers = new Array<Worker | null>(threads).fill(null);
    this.pending = new Array<Pending | null>(threads).fill(null);
    this.shares = new Float64Array(threads).fill(1 / threads);
  }

  /**
   * hammerBundle's result for the same arguments (validated here, before any worker runs).
   * Rejects while another bundling is running, and with BundleCancelled after cancel().
   */
  async bundle(
    nodeXY: Float64Array, edgeSource: Int32Array, edgeTarget: Int32Array,
    weights: Float64Array | null, params?: Partial<BundleParams>, warm?: WarmStart,
  ): Promise<BundleResult> {
    if (this.busy) throw new Error('parallel bundler is busy');
    const cold = planBundle(nodeXY, edgeSource, edgeTarget, weights, params);
    if (warm !== undefined) checkEdgeKeys(warm.keys, edgeSource.length);
    this.busy = true;
    this.cancelled = false;
    try {
      const match = warm === undefined ? null : matchPrevious(cold, warm);
      const plan = match === null ? cold : warmPlan(cold, match);
      const warmStart = match === null ? null : { previous: warm!.previous!, match };
      const startVertices = edgeStartVertices(plan, nodeXY, edgeSource, edgeTarget, warmStart);
      const bounds = splitEdges(startVertices, this.threads, this.shares, match);
      const share = this.shareFor(plan.width);
      new Int32Array(share.sync).fill(0);
      const room = outputRoom(startVertices, warmStart, this.outputRoom);
      const output: BundleOutput = {
        points: this.outputBuffer(16 * room.points),
        lines: warm === undefined ? null : this.outputBuffer(8 * room.lines),
      };
      // Settled, not all: a failed bundling still waits for every worker to stop.
      const replies = await Promise.allSettled(Array.from({ length: this.threads }, (_, index) => this.send(index, {
        index, parties: this.threads, plan, nodeXY, edgeSource, edgeTarget,
        first: bounds[index], end: bounds[index + 1],
        warm: warmStart === null ? null : { previous: warmStart.previous, match: warmStart.match.subarray(bounds[index], bounds[index + 1]) },
        keepLines: warm !== undefined, share, output,
      })));
      if (this.cancelled) throw new BundleCancelled();
      const { result, lines } = joinReplies(replies, plan, output);
      this.rebalance(replies);
      result.warm = match !== null;
      if (warm !== undefined) result.state = bundleState(plan, warm.keys, lines!, coldFlags(match, warm.previous), result);
      return result;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Takes back the memory of a bundling's state and of the result it came with (its points),
   * which the caller no longer reads: later bundlings write their output there. Memory not
   * touched since it was allocated costs a page fault per 4 KB on first write: the 17 MB
   * output of a warm start of the 8,218-edge graph took the workers 15-50 ms of faults on top
   * of 13-15 ms of work. States of other bundlers, or whose output did not fit in the shared
   * output (BundleOutput), are ignored.
   */
  release(state: BundleState): void {
    for (const buffer of [state.points.buffer, state.lines.xy.buffer]) {
      if (!(buffer instanceof SharedArrayBuffer) || !this.outputs.has(buffer) || this.spare.includes(buffer)) continue;
      this.spare.push(buffer);
      this.spareBytes += buffer.byteLength;
    }
    // Oldest first out: what the last bundlings needed is what the next ones will.
    while (this.spareBytes > SPARE_BYTES) this.spareBytes -= this.spare.shift()!.byteLength;
  }

  /**
   * Abandons the bundling under way, if any: the workers stop at their next check (within a
   * few milliseconds) and bundle() rejects with BundleCancelled. Returns whether one was.
   */
  cancel(): boolean {
    if (!this.busy || this.share === null) return false;
    this.cancelled = true;
    abortBundleWorkers(new Int32Array(this.share.sync));
    return true;
  }

  /**
   * Moves the split towards the workers' measured speeds (work done over time spent working,
   * barrier waits left out): a thread that shares its core with something else, or a range
   * whose edges turned out costlier, gets less of the next bundling (consecutive bundlings of
   * a live graph are alike). Half-way each time, and no worker below half an equal share.
   */
  private rebalance(replies: PromiseSettledResult<BundleWorkerReply>[]): void {
    const speeds = new Float64Array(this.threads);
    let total = 0;
    for (let i = 0; i < this.threads; i++) {
      const r = replies[i];
      if (r.status !== 'fulfilled' || !r.value.ok || !(r.value.workMs > 0)) return;
      speeds[i] = this.shares[i] / r.value.workMs;
      total += speeds[i];
    }
    const floor = 0.5 / this.threads;
    let sum = 0;
    for (let i = 0; i < this.threads; i++) {
      this.shares[i] = Math.max(floor, 0.5 * this.shares[i] + 0.5 * (speeds[i] / total));
      sum += this.shares[i];
    }
    for (let i = 0; i < this.threads; i++) this.shares[i] /= sum;
  }

  /** Stops the workers (a bundling under way fails); the next bundle starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers.filter((w): w is Worker => w !== null);
    this.workers.fill(null);
    this.spare = [];
    this.spareBytes = 0;
    for (const p of this.pending) p?.reject(new Error('parallel bundler closed'));
    this.pending.fill(null);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private send(index: number, job: BundleWorkerJob): Promise<BundleWorkerReply> {
    const worker = this.ensureWorker(index);
    return new Promise<BundleWorkerReply>((resolve, reject) => {
      this.pending[index] = { resolve, reject };
      worker.ref(); // a running job keeps the process alive; an idle worker does not
      worker.postMessage(job);
    });
  }

  private ensureWorker(index: number): Worker {
    const existing = this.workers[index];
    if (existing) return existing;
    const w = startWorker('bundle-worker');
    w.on('message', (reply: BundleWorkerReply) => {
      w.unref();
      const p = this.pending[index];
      this.pending[index] = null;
      p?.resolve(reply);
    });
    const fail = (err: Error): void => {
      // A dead worker would leave the others waiting at a barrier: release them.
      if (this.share) abortBundleWorkers(new Int32Array(this.share.sync));
      if (this.workers[index] === w) this.workers[index] = null;
      const p = this.pending[index];
      this.pending[index] = null;
      p?.reject(err);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`bundle worker exited with code ${code}`)));
    w.unref();
    this.workers[index] = w;
    return w;
  }

  /**
   * Shared memory for `bytes` of output: the smallest released buffer that holds it, else a
   * new one with room to spare (pages never written cost nothing), so that a released one
   * fits the next bundlings, which are alike.
   */
  private outputBuffer(bytes: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const size = this.spare[i].byteLength;
      if (size >= bytes && (best < 0 || size < this.spare[best].byteLength)) best = i;
    }
    if (best >= 0) {
      const [buffer] = this.spare.splice(best, 1);
      this.spareBytes -= buffer.byteLength;
      return buffer;
    }
    const buffer = new SharedArrayBuffer(Math.ceil(bytes * OUTPUT_SLACK));
    this.outputs.add(buffer);
    return buffer;
  }

  private shareFor(width: number): BundleShare {
    if (this.share && this.shareWidth === width) return this.share;
    const cells = width * width;
    const grid = (): SharedArrayBuffer => new SharedArrayBuffer(4 * cells);
    this.share = {
      partials: Array.from({ length: this.threads }, grid),
      blurred: grid(),
      density: grid(),
      coarse: new SharedArrayBuffer(4 * coarseWidth(width) ** 2),
      field: new SharedArrayBuffer(2 * cells),
      flow: new SharedArrayBuffer(2 * cells),
      maxes: new SharedArrayBuffer(8 * this.threads),
      sync: new SharedArrayBuffer(4 * 3),
      counts: new SharedArrayBuffer(4 * 2 * this.threads),
    };
    this.shareWidth = width;
    return this.share;
  }
}

/**
 * Room (vertices) for the finished polylines and the rounds' polylines in the shared output:
 * a carried edge's exactly (warm.ts: its previous output and polyline are reused), `room`
 * times its start vertices for any other. Zeroing new buffers is the main thread's cost (the
 * allocator zeroes freed memory it hands out again): at 2.5 times every edge's start
 * vertices, a warm start of the 8,218-edge graph spent 4-5 ms here (released ones are not
 * zeroed: ParallelBundler.release).
 */
function outputRoom(
  startVertices: Uint32Array, warm: { previous: BundleState; match: Int32Array } | null, room: number,
): { points: number; lines: number } {
  let points = 1024, lines = 1024;
  for (let e = 0; e < startVertices.length; e++) {
    const from = warm === null ? -1 : warm.match[e];
    if (from >= 0) {
      points += warm!.previous.pointOffsets[from + 1] - warm!.previous.pointOffsets[from];
      lines += startVertices[e];
    } else {
      points += room * startVertices[e];
      lines += room * startVertices[e];
    }
  }
  return { points: Math.ceil(points), lines: Math.ceil(lines) };
}

/**
 * The bundling's result (and, for a warm start, its rounds' polylines) from the workers'
 * replies: views of the shared output where they wrote there, else their parts concatenated
 * (in shared memory for a warm start: the state keeps them, for the next bundling's workers).
 * Throws the first failure; a worker released by another's failure reports "aborted", which
 * is not the cause.
 */
function joinReplies(
  replies: PromiseSettledResult<BundleWorkerReply>[], plan: BundlePlan, output: BundleOutput,
): { result: BundleResult; lines: PolylineStore | null } {
  const parts: Extract<BundleWorkerReply, { ok: true }>[] = [];
  let cause: Error | null = null, aborted: Error | null = null;
  for (const r of replies) {
    if (r.status === 'rejected') cause ??= r.reason instanceof Error ? r.reason : new Error(String(r.reason));
    else if (r.value.ok) parts.push(r.value);
    else if (r.value.aborted) aborted ??= new Error(r.value.error);
    else cause ??= new Error(`bundle worker failed: ${r.value.error}`);
  }
  const failure = cause ?? aborted;
  if (failure !== null) throw failure;
  const offsets = joinOffsets(parts.map((p) => p.offsets));
  const vertices = offsets[offsets.length - 1];
  const share = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
  let points: Float64Array;
  if (parts.every((p) => p.points === null)) points = new Float64Array(output.points, 0, 2 * vertices);
  else {
    points = new Float64Array(output.lines === null ? new ArrayBuffer(16 * vertices) : share(16 * vertices));
    let at = 0;
    for (const part of parts) {
      points.set(part.points!, 2 * at);
      at += part.offsets[part.offsets.length - 1];
    }
  }
  let lines: PolylineStore | null = null;
  if (output.lines !== null) {
    const kept = parts.map((p) => p.lines!);
    if (kept.every((l) => l.xy === null)) {
      const lineOffsets = joinOffsets(kept.map((l) => l.offsets));
      lines = { xy: new Int32Array(output.lines, 0, 2 * lineOffsets[lineOffsets.length - 1]), offsets: lineOffsets };
    } else {
      lines = joinPolylines(kept.map((l) => ({ xy: l.xy!, offsets: l.offsets })), share);
    }
  }
  return { result: { points, offsets, edgeIndex: plan.edgeIndex }, lines };
}
