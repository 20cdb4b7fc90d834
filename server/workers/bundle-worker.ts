// Worker thread entry for the parallel bundler (../pipeline/parallel-bundle.ts): each worker
// owns a contiguous range of the kept edges and keeps their polylines in its own memory; the
// grids are shared (SharedArrayBuffer) and the grid work is split by rows (blur along x,
// gradient) and by columns (blur along y). Per round:
//   splat own edges into own partial density | barrier | blur rows of the summed partials
//   | barrier | blur own columns, note their max | barrier | gradient of own rows | barrier
//   | flow map of own rows | barrier | advect own edges.
// Wide blurs run at half resolution (shared/bundle/density.ts): the blur along x reads the
// partials onto the coarse grid, and after the blur along y (| barrier) each worker widens its
// own rows back to the full grid, noting their max, before the gradient's barrier.
// No barrier is needed between the advection and the next round's splat: a worker's splat
// writes only its own partial grid, which nobody reads until after the next barrier.
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadPriority } from './background-priority.js';
import {
  type BundlePlan, blurRowLength, finishPolylines, gridRules, startPolylines,
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
    const { points, offsets, lines } = bundleEdges(job);
    const workMs = performance.now() - started - waitedMs;
    const reply: BundleWorkerReply = { ok: true, points, offsets, lines: job.keepLines ? lines : null, workMs };
    const transfer = [points.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer];
    if (job.keepLines) transfer.push(lines.xy.buffer as ArrayBuffer, lines.offsets.buffer as ArrayBuffer);
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
 * and (for the next warm start) as the rounds left them.
 */
function bundleEdges(job: BundleWorkerJob): { points: Float64Array; offsets: Uint32Array; lines: PolylineStore } {
  const { plan, first, end } = job;
  const count = end - first;
  const start = startPolylines(plan, job.nodeXY, job.edgeSource, job.edgeTarget, first, end, job.warm);
  let cur = start.lines;
  // Every worker takes part in every round (the grid work is shared), even with no edges.
  if (plan.edgeIndex.length > 0 && plan.sigmas.length > 0) cur = bundleRounds(job, plan, cur, start.carried, count);
  const reuse = job.warm === null ? null : { ...job.warm, carried: start.carried! };
  const { points, offsets } = finishPolylines(plan, cur, job.nodeXY, job.edgeSource, job.edgeTarget, first, end, reuse);
  const used = cur.offsets[count];
  return { points, offsets, lines: { xy: cur.xy.slice(0, 2 * used), offsets: cur.offsets } };
}

function bundleRounds(
  job: BundleWorkerJob, plan: BundlePlan, lines: PolylineStore, carried: Uint8Array | null, count: number,
): PolylineStore {
  const { index, parties, share } = job;
  const width = plan.width;
  const grids = sharedGrids(share, width);
  const own = grids.partials[index];
  const sync = new Int32Array(share.sync);
  const aborted = new Int32Array(share.sync, 4 * SYNC_ABORTED, 1);
  const weights = plan.weights === null ? null : plan.weights.subarray(job.first, job.end);
  // This worker's rows (blur along x, gradient) and columns (blur along y).
  const band = (w: number): [number, number] => [Math.floor((index * w) / parties), Math.floor(((index + 1) * w) / parties)];
  const [lo, hi] = band(width);
  const cw = coarseWidth(width);
  const [coarseLo, coarseHi] = band(cw);
  const rules = gridRules(plan);
  const row = new Float64Array(blurRowLength(plan));
  const scratch = new AdvectScratch();
  let cur = lines;
  let next: PolylineStore = { xy: new Int32Array(cur.xy.length), offsets: new Uint32Array(count + 1) };
  for (let i = 0; i < plan.sigmas.length; i++) {
    const blur = blurSigma(plan.sigmas[i]);
    const kernel = gaussianKernel(blur.sigma);
    own.fill(0);
    splatEdges(own, width, cur, 0, count, weights);
    barrier(sync, parties);
    if (blur.coarse) {
      blurCoarseRowsX(grids.partials, grids.blurred, width, coarseLo, coarseHi, kernel, row);
      barrier(sync, parties);
      blurColumnsY(grids.blurred, grids.coarse, cw, cw, coarseLo, coarseHi, kernel);
      barrier(sync, parties);
      grids.maxes[index] = widenRows(grids.coarse, grids.density, width, lo, hi, row);
    } else {
      blurRowsX(grids.partials, grids.blurred, width, lo, hi, kernel, row);
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
    if (!advectEdges(cur, next, 0, count, grids, { cells: plan.advectCells[i], carried }, rules, scratch, aborted)) {
      throw new BundleAborted('aborted: the bundling was cancelled or another bundle worker failed');
    }
    const t = cur; cur = next; next = t;
  }
  return cur;
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

/**
 * Waits until all `parties` workers have arrived. The generation is read before arriving, so
 * the last arrival's increment releases exactly the waiters of this barrier; the abort flag
 * is read after it, so an abort (flag, then generation) either shows here or wakes the wait.
 */
/** Time this worker's current job has spent waiting at barriers, ms. */
let waitedMs = 0;

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
