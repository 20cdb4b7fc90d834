// Worker thread entry for the parallel bundler (../pipeline/parallel-bundle.ts): each worker
// owns a contiguous range of the kept edges and keeps their polylines in its own memory; the
// grids are shared (SharedArrayBuffer) and the grid work is split by rows (blur along x,
// gradient) and by columns (blur along y). Per round:
//   splat own moving edges into own partial density (for a warm start, on top of own
//   carried edges' counts, taken once) | barrier | blur rows of the summed partials
//   | barrier | blur own columns, note their max | barrier | gradient of own rows | barrier
//   | flow map of own rows | barrier | advect own moving edges.
// Then each finishes its edges, and once every worker has counted its vertices (| barrier),
// writes them into the shared output after those of the workers before it (or, when the
// whole result does not fit there, sends them back).
// Wide blurs run at half resolution (shared/bundle/density.ts): the blur along x reads the
// partials onto the coarse grid, and after the blur along y (| barrier) each worker widens its
// own rows back to the full grid, noting their max, before the gradient's barrier.
// No barrier is needed between the advection and the next round's splat: a worker's splat
// writes only its own partial grid, which nobody reads until after the next barrier.
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadPriority } from './background-priority.js';
import {
  type BundlePlan, type StartLines, blurRowLength, finishPolylines, gridRules, joinRoundLines, roundVertices, splitWeights, startPolylines,
} from '../../shared/bundle/hammer.js';
import {
  blurColumnsY, blurCoarseRowsX, blurRowsX, blurSigma, coarseWidth, gaussianKernel, splatEdges, widenRows,
} from '../../shared/bundle/density.js';
import { unitGradient } from '../../shared/bundle/gradient.js';
import { AdvectScratch, advectEdges, flowMap } from '../../shared/bundle/advect.js';
import type { PolylineStore } from '../../shared/bundle/polylines.js';
import {
  type BundleShare, type BundleWorkerJob, type BundleWorkerReply,
  SYNC_ABORTED, SYNC_ARRIVED, SYNC_GENERATION, abortBundleWorkers,
} from '../pipeline/parallel-bundle.js';

if (!parentPort) throw new Error('bundle-worker must run in a worker thread');
lowerThisThreadPriority();
const port = parentPort;

/** Thrown out of a barrier when another worker failed: that worker reports the real error. */
class BundleAborted extends Error {}

port.on('message', (job: BundleWorkerJob) => {
  try {
    const started = performance.now();
    waitedMs = 0;
    const reply = bundleEdges(job);
    reply.workMs = performance.now() - started - waitedMs;
    const transfer = [reply.offsets.buffer as ArrayBuffer];
    if (reply.points !== null) transfer.push(reply.points.buffer as ArrayBuffer);
    if (reply.lines !== null) {
      transfer.push(reply.lines.offsets.buffer as ArrayBuffer);
      if (reply.lines.xy !== null) transfer.push(reply.lines.xy.buffer as ArrayBuffer);
    }
    port.postMessage(reply, transfer);
  } catch (err) {
    abortBundleWorkers(new Int32Array(job.share.sync));
    const reply: BundleWorkerReply = {
      ok: false, aborted: err instanceof BundleAborted,
      error: err instanceof Error ? err.stack ?? err.message : String(err),
    };
    port.postMessage(reply);
  }
});

/**
 * This worker's share of the bundling: its edges' bundled polylines, in input coordinates,
 * and (for the next warm start) as the rounds left them, in the shared output or in the reply.
 */
function bundleEdges(job: BundleWorkerJob): Extract<BundleWorkerReply, { ok: true }> {
  const { plan, first, end } = job;
  const start = startPolylines(plan, job.nodeXY, job.edgeSource, job.edgeTarget, first, end, job.warm);
  let cur = start.moving;
  // Every worker takes part in every round (the grid work is shared), even with no edges.
  if (plan.edgeIndex.length > 0 && plan.sigmas.length > 0) cur = bundleRounds(job, plan, start);
  const reuse = job.warm === null ? null : { ...job.warm, carried: start.carried! };
  const used = roundVertices(start, cur);
  let place: OutputPlace | null = null;
  const { points, offsets } = finishPolylines(plan, cur, job.nodeXY, job.edgeSource, job.edgeTarget, first, end, reuse, (vertices) => {
    place = placeOutput(job, vertices, used);
    return place.fits ? new Float64Array(job.output.points, 16 * place.pointsAt, 2 * vertices) : new Float64Array(2 * vertices);
  });
  const fits = place!.fits;
  let lines: Extract<BundleWorkerReply, { ok: true }>['lines'] = null;
  if (job.keepLines) {
    // All kept edges' polylines in order, into the shared output where the result fits there.
    const xy = fits ? new Int32Array(job.output.lines!, 8 * place!.linesAt, 2 * used) : new Int32Array(2 * used);
    lines = { xy: fits ? null : xy, offsets: joinRoundLines(start, cur, xy) };
  }
  return { ok: true, points: fits ? null : points, offsets, lines, workMs: 0 };
}

/** Where this worker's vertices go in the shared output (in vertices), and whether the whole result fits there. */
interface OutputPlace { fits: boolean; pointsAt: number; linesAt: number }

/**
 * Publishes this worker's finished and rounds' vertex counts, waits for every worker's, and
 * works out where its own go: after those of the workers before it.
 */
function placeOutput(job: BundleWorkerJob, points: number, lines: number): OutputPlace {
  const counts = new Int32Array(job.share.counts);
  counts[2 * job.index] = points;
  counts[2 * job.index + 1] = lines;
  barrier(new Int32Array(job.share.sync), job.parties);
  let pointsAt = 0, linesAt = 0, allPoints = 0, allLines = 0;
  for (let w = 0; w < job.parties; w++) {
    if (w === job.index) { pointsAt = allPoints; linesAt = allLines; }
    allPoints += counts[2 * w];
    allLines += counts[2 * w + 1];
  }
  const fits = 16 * allPoints <= job.output.points.byteLength && (job.output.lines === null || 8 * allLines <= job.output.lines.byteLength);
  return { fits, pointsAt, linesAt };
}

/** The rounds for this worker's moving polylines (all its edges', or a warm start's fresh ones'); returns them as the last round left them. */
function bundleRounds(job: BundleWorkerJob, plan: BundlePlan, start: StartLines): PolylineStore {
  const { index, parties, share } = job;
  const width = plan.width;
  const grids = sharedGrids(share, width);
  const own = grids.partials[index];
  const sync = new Int32Array(share.sync);
  const aborted = new Int32Array(share.sync, 4 * SYNC_ABORTED, 1);
  const weights = splitWeights(plan.weights === null ? null : plan.weights.subarray(job.first, job.end), start.carried);
  const count = start.moving.offsets.length - 1;
  // A warm start's carried edges do not move: counted once, each round's density starts from them.
  let fixed: Float32Array | null = null;
  if (start.fixed !== null) {
    if (fixedCounts.length !== width * width) fixedCounts = new Float32Array(width * width); else fixedCounts.fill(0);
    fixed = fixedCounts;
    splatEdges(fixed, width, start.fixed, 0, start.fixed.offsets.length - 1, weights.fixed);
  }
  // This worker's rows (blur along x, gradient) and columns (blur along y).
  const band = (w: number): [number, number] => [Math.floor((index * w) / parties), Math.floor(((index + 1) * w) / parties)];
  const [lo, hi] = band(width);
  const cw = coarseWidth(width);
  const [coarseLo, coarseHi] = band(cw);
  const rules = gridRules(plan);
  const row = new Float64Array(blurRowLength(plan));
  let cur = start.moving;
  const offsets = [new Uint32Array(count + 1), new Uint32Array(count + 1)];
  for (let i = 0; i < plan.sigmas.length; i++) {
    const blur = blurSigma(plan.sigmas[i]);
    const kernel = gaussianKernel(blur.sigma);
    if (fixed === null) own.fill(0); else own.set(fixed);
    splatEdges(own, width, cur, 0, count, weights.moving);
    barrier(sync, parties);
    if (blur.coarse) {
      blurCoarseRowsX(grids.partials, grids.blurred, width, coarseLo, coarseHi, kernel, row);
      barrier(sync, parties);
      blurColumnsY(grids.blurred, grids.coarse, cw, cw, coarseLo, coarseHi, kernel);
      barrier(sync, parties);
      grids.maxes[index] = widenRows(grids.coarse, grids.density, width, lo, hi, row);
    } else {
      blurRowsX(grids.partials, grids.blurred, width, lo, hi, kernel);
      barrier(sync, parties);
      grids.maxes[index] = blurColumnsY(grids.blurred, grids.density, width, width, lo, hi, kernel);
    }
    barrier(sync, parties);
    let max = 0;
    for (let w = 0; w < parties; w++) if (grids.maxes[w] > max) max = grids.maxes[w];
    unitGradient(grids.density, width, width, max, grids.field, lo, hi);
    barrier(sync, parties);
    flowMap(grids.field, width, grids.flow, lo, hi);
    barrier(sync, parties);
    // The rounds write into this worker's two kept buffers by turns, never into the start's.
    const next: PolylineStore = { xy: roundBuffers[i & 1], offsets: offsets[i & 1] };
    const done = advectEdges(cur, next, 0, count, grids, plan.advectCells[i], rules, advectScratch, aborted);
    keepRoundBuffer(i & 1, next.xy);
    if (!done) throw new BundleAborted('aborted: the bundling was cancelled or another bundle worker failed');
    cur = next;
  }
  return cur;
}

/**
 * Buffers the rounds' polylines are written to (~4 MB a worker for the 8,218-edge graph),
 * kept from job to job instead of new ones each round: memory not touched yet costs a page
 * fault per 4 KB. With the result written into shared memory, this took warm starts' CPU time
 * down by a tenth (31 bundlings: 4.6 -> 4.2 s). Buffers larger than KEPT_ROUND_BYTES (very
 * large graphs) are let go after the job.
 */
const roundBuffers: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
const KEPT_ROUND_BYTES = 16 << 20;
const advectScratch = new AdvectScratch();
/** A warm start's carried vertices counted on the grid (this worker's), kept from job to job. */
let fixedCounts = new Float32Array(0);

function keepRoundBuffer(which: number, xy: Int32Array): void {
  roundBuffers[which] = xy.byteLength <= KEPT_ROUND_BYTES ? xy : new Int32Array(0);
}

function sharedGrids(share: BundleShare, width: number) {
  return {
    width,
    partials: share.partials.map((b) => new Float32Array(b)),
    blurred: new Float32Array(share.blurred),
    density: new Float32Array(share.density),
    coarse: new Float32Array(share.coarse),
    field: new Int8Array(share.field),
    flow: new Int8Array(share.flow),
    maxes: new Float64Array(share.maxes),
  };
}

/** Time this worker's current job has spent waiting at barriers, ms. */
let waitedMs = 0;

/**
 * Waits until all `parties` workers have arrived. The generation is read before arriving, so
 * the last arrival's increment releases exactly the waiters of this barrier; the abort flag
 * is read after it, so an abort (flag, then generation) either shows here or wakes the wait.
 */
function barrier(sync: Int32Array, parties: number): void {
  const generation = Atomics.load(sync, SYNC_GENERATION);
  if (Atomics.load(sync, SYNC_ABORTED) !== 0) throw new BundleAborted('aborted: another bundle worker failed');
  if (Atomics.add(sync, SYNC_ARRIVED, 1) === parties - 1) {
    Atomics.store(sync, SYNC_ARRIVED, 0);
    Atomics.add(sync, SYNC_GENERATION, 1);
    Atomics.notify(sync, SYNC_GENERATION);
  } else {
    const t0 = performance.now();
    while (Atomics.load(sync, SYNC_GENERATION) === generation) Atomics.wait(sync, SYNC_GENERATION, generation);
    waitedMs += performance.now() - t0;
  }
  if (Atomics.load(sync, SYNC_ABORTED) !== 0) throw new BundleAborted('aborted: another bundle worker failed');
}
