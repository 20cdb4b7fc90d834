// The parallel bundler, its workers loaded from source: the same bundling as hammerBundle,
// split across worker threads, and its failure paths.
import { describe, it, expect, afterAll } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { BundleCancelled, ParallelBundler } from '../../../server/pipeline/parallel-bundle.js';
import { type BundleResult, type BundleState, hammerBundle } from '../../../shared/bundle/hammer.js';
import { circularLayout } from '../../../shared/layout/circular.js';
import { countOnGrid, densityCorrelation, readEdgeCsv } from '../../helpers/density-correlation.js';
import { dataPath, itData } from '../../helpers/data.js';

/**
 * A seeded graph: n nodes on the circle, m random edges, with or without weights. Weights are
 * powers of two, so the bundler's scaled weights and the density sums are exact in any order.
 */
function randomGraph(n: number, m: number, weighted: boolean, seed = 17) {
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const source = new Int32Array(m), target = new Int32Array(m);
  const weight = weighted ? new Float64Array(m) : null;
  for (let i = 0; i < m; i++) {
    source[i] = Math.floor(rand() * n);
    target[i] = Math.floor(rand() * n);
    if (weight) weight[i] = 2 ** Math.floor(rand() * 10);
  }
  return { nodeXY: circularLayout(n), source, target, weight };
}

describe('ParallelBundler', () => {
  const bundler = new ParallelBundler(2);
  afterAll(() => bundler.close());

  it('gives exactly hammerBundle\'s result when the density sums are exact', async () => {
    for (const weighted of [false, true]) {
      const g = randomGraph(60, 150, weighted);
      const params = { accuracy: 200 };
      const expected = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params);
      const got = await bundler.bundle(g.nodeXY, g.source, g.target, g.weight, params);
      expect(Array.from(got.edgeIndex)).toEqual(Array.from(expected.edgeIndex));
      expect(Array.from(got.offsets)).toEqual(Array.from(expected.offsets));
      expect(got.points).toEqual(expected.points);
    }
  });

  it('gives the same result with one or three workers, and with edges dropped or none kept', async () => {
    const g = randomGraph(40, 90, false, 5);
    g.source[3] = 99; g.target[10] = -1; // unknown nodes: dropped
    const params = { accuracy: 150 };
    const expected = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params);
    for (const threads of [1, 3]) {
      const other = new ParallelBundler(threads);
      try {
        const got = await other.bundle(g.nodeXY, g.source, g.target, g.weight, params);
        expect(Array.from(got.edgeIndex)).toEqual(Array.from(expected.edgeIndex));
        expect(got.points).toEqual(expected.points);
        const none = await other.bundle(g.nodeXY, Int32Array.from([50]), Int32Array.from([1]), null, params);
        expect([none.points.length, Array.from(none.offsets), none.edgeIndex.length]).toEqual([0, [0], 0]);
      } finally {
        await other.close();
      }
    }
    const straight = await bundler.bundle(g.nodeXY, g.source, g.target, g.weight, { ...params, iterations: 0 });
    expect(straight.points).toEqual(hammerBundle(g.nodeXY, g.source, g.target, g.weight, { ...params, iterations: 0 }).points);
  });

  it('rejects invalid input before any worker runs, and stays usable', async () => {
    const g = randomGraph(10, 20, false);
    await expect(bundler.bundle(g.nodeXY, g.source, g.target, null, { decay: 2 })).rejects.toThrow(/^decay /);
    await expect(bundler.bundle(g.nodeXY, g.source, new Int32Array(3), null)).rejects.toThrow(RangeError);
    const r = await bundler.bundle(g.nodeXY, g.source, g.target, null, { accuracy: 100 });
    expect(r.edgeIndex.length).toBe(20);
  });

  it('runs one bundling at a time', async () => {
    const g = randomGraph(30, 60, false);
    const first = bundler.bundle(g.nodeXY, g.source, g.target, null, { accuracy: 100 });
    await expect(bundler.bundle(g.nodeXY, g.source, g.target, null)).rejects.toThrow(/busy/);
    await first;
  });

  it('fails the bundling when a worker dies mid-way (releasing the other), then recovers', async () => {
    const g = randomGraph(80, 400, false);
    const params = { accuracy: 400 };
    const pending = bundler.bundle(g.nodeXY, g.source, g.target, null, params);
    // The job is posted by now (bundle() runs synchronously up to its first await).
    const workers = (bundler as unknown as { workers: Worker[] }).workers;
    await workers[0].terminate();
    await expect(pending).rejects.toThrow(/exited/);
    const r = await bundler.bundle(g.nodeXY, g.source, g.target, null, params);
    expect(r.points).toEqual(hammerBundle(g.nodeXY, g.source, g.target, null, params).points);
  });

  it('starts warm from its last state as hammerBundle does, state and all', async () => {
    const g = randomGraph(60, 200, true, 29);
    const params = { accuracy: 200 };
    const keys = Float64Array.from({ length: 200 }, (_, i) => i);
    const first = await bundler.bundle(g.nodeXY, g.source, g.target, g.weight, params, { keys, previous: null });
    const alone = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params, { keys, previous: null });
    expect(first.points).toEqual(alone.points);
    const changed = Float64Array.from(keys);
    for (let i = 0; i < 10; i++) { changed[20 * i] = 500 + i; g.target[20 * i] = (g.source[20 * i] + 30) % 60; }
    const warm = await bundler.bundle(g.nodeXY, g.source, g.target, g.weight, params, { keys: changed, previous: first.state! });
    const warmAlone = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params, { keys: changed, previous: alone.state! });
    expect([warm.warm, warmAlone.warm]).toEqual([true, true]);
    expect(warm.points).toEqual(warmAlone.points);
    expect(Array.from(warm.state!.cold)).toEqual(Array.from(warmAlone.state!.cold));
    expect(Array.from(warm.state!.lines.xy)).toEqual(Array.from(warmAlone.state!.lines.xy));
  });

  it('writes later bundlings into the memory of states released to it, with the same results', async () => {
    const g = randomGraph(60, 200, true, 37);
    const params = { accuracy: 200 };
    const own = new ParallelBundler(2);
    try {
      // A chain of warm starts, 10 edges replaced each time, as a live painter makes them.
      let keys = Float64Array.from({ length: 200 }, (_, i) => i);
      let state: BundleState | null = null, stateAlone: BundleState | null = null;
      const made: BundleResult[] = [];
      for (let step = 0; step < 4; step++) {
        if (step > 0) {
          keys = Float64Array.from(keys);
          for (let i = 0; i < 10; i++) { const e = 20 * i + step; keys[e] = 1000 * step + i; g.target[e] = (g.source[e] + 7 * step) % 60; }
        }
        const r = await own.bundle(g.nodeXY, g.source, g.target, g.weight, params, { keys, previous: state });
        const alone = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params, { keys, previous: stateAlone });
        expect(r.points).toEqual(alone.points);
        expect(Array.from(r.state!.lines.xy)).toEqual(Array.from(alone.state!.lines.xy));
        made.push(r);
        if (step === 1) {
          own.release(made[0].state!);
          own.release(made[0].state!); // twice is once: a buffer is never handed out twice
          own.release(alone.state!); // not this bundler's: ignored
        }
        state = r.state!;
        stateAlone = alone.state!;
      }
      // Bundling 2 wrote into bundling 0's memory; bundling 3, with nothing released, into new memory.
      expect(made[2].points.buffer).toBe(made[0].points.buffer);
      expect(made[2].state!.lines.xy.buffer).toBe(made[0].state!.lines.xy.buffer);
      const earlier = new Set(made.slice(0, 3).flatMap((r) => [r.points.buffer, r.state!.lines.xy.buffer]));
      expect(earlier.has(made[3].points.buffer) || earlier.has(made[3].state!.lines.xy.buffer)).toBe(false);
    } finally {
      await own.close();
    }
  });

  it('sends the result back in messages when it does not fit the shared output: the same result and state', async () => {
    const g = randomGraph(60, 200, true, 31);
    const params = { accuracy: 200 };
    const keys = Float64Array.from({ length: 200 }, (_, i) => i);
    const cramped = new ParallelBundler(2, 0); // room for 1,024 vertices: this graph bundles into ~4,000
    try {
      const first = await cramped.bundle(g.nodeXY, g.source, g.target, g.weight, params, { keys, previous: null });
      const alone = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params, { keys, previous: null });
      expect(first.points.length).toBeGreaterThan(2 * 1024);
      expect(first.points).toEqual(alone.points);
      expect(first.points.buffer).toBeInstanceOf(SharedArrayBuffer); // the state keeps it for the next workers
      expect(Array.from(first.state!.lines.xy)).toEqual(Array.from(alone.state!.lines.xy));
      // A warm start has exact room for its carried edges: 80 fresh ones need more than the 1,024 spare.
      const changed = Float64Array.from(keys);
      for (let i = 0; i < 80; i++) { changed[2 * i] = 500 + i; g.target[2 * i] = (g.source[2 * i] + 30) % 60; }
      const warm = await cramped.bundle(g.nodeXY, g.source, g.target, g.weight, params, { keys: changed, previous: first.state! });
      const warmAlone = hammerBundle(g.nodeXY, g.source, g.target, g.weight, params, { keys: changed, previous: alone.state! });
      expect(warm.warm).toBe(true);
      expect(warm.points.byteLength).toBe(warm.points.buffer.byteLength); // joined from the replies, not a view of the output
      expect(warm.points).toEqual(warmAlone.points);
      expect(Array.from(warm.offsets)).toEqual(Array.from(warmAlone.offsets));
      const plain = await cramped.bundle(g.nodeXY, g.source, g.target, g.weight, params);
      expect(plain.points).toEqual(hammerBundle(g.nodeXY, g.source, g.target, g.weight, params).points);
    } finally {
      await cramped.close();
    }
  });

  it('abandons a bundling on cancel() within milliseconds, and bundles again afterwards', async () => {
    const g = randomGraph(2000, 40_000, false, 31);
    const pending = bundler.bundle(g.nodeXY, g.source, g.target, null);
    const caught = pending.catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 150)); // under way: this takes a second or more whole
    const t0 = performance.now();
    expect(bundler.cancel()).toBe(true);
    expect(await caught).toBeInstanceOf(BundleCancelled);
    const stopMs = performance.now() - t0;
    expect(stopMs).toBeLessThan(1000); // workers check every 64 edges and at every barrier
    expect(bundler.cancel()).toBe(false); // nothing under way
    const small = randomGraph(30, 50, false);
    const r = await bundler.bundle(small.nodeXY, small.source, small.target, null, { accuracy: 100 });
    const alone = hammerBundle(small.nodeXY, small.source, small.target, null, { accuracy: 100 });
    expect(r.points.length).toBe(alone.points.length);
    expect(r.points.every((v, i) => v === alone.points[i])).toBe(true); // toEqual takes seconds over these
  });

  itData('bundles the real maccdc sample like hammerBundle (weights: density sums may differ by an ulp)', async () => {
    const graph = readEdgeCsv(dataPath('graphs', 'maccdc2012-sample-edges.csv'));
    const nodeXY = circularLayout(graph.nodeCount);
    const got = await bundler.bundle(nodeXY, graph.source, graph.target, graph.weight);
    const expected = hammerBundle(nodeXY, graph.source, graph.target, graph.weight);
    expect(got.edgeIndex.length).toBe(2176);
    expect(densityCorrelation(countOnGrid(got.points), countOnGrid(expected.points))).toBeGreaterThan(0.999);
  });
});
