// Bundle group: cold bundles (no state kept from an earlier bundling) on the circular layout
// of the two graphs in ../shared/data/graphs and of a generated 100,000-edge graph, by the
// parallel bundler meant for the live pipeline (server/pipeline/parallel-bundle.ts: two worker
// threads, started before timing; for the data graphs one-thread hammerBundle beside it);
// medians of several runs after warm-up runs (the workers compile their loops on their own).
// Also the density correlation of each data graph's result with the reference
// (../shared/data/reference/README.md), and warm starts: the 8,218-edge graph with 5% of its
// edges replaced (seeded), bundled from the original's state, against a cold bundle of it.
import { type BundleResult, type BundleState, hammerBundle } from '../shared/bundle/hammer.js';
import { circularLayout } from '../shared/layout/circular.js';
import { ParallelBundler } from '../server/pipeline/parallel-bundle.js';
import { countOnGrid, densityCorrelation, readEdgeCsv, readReferenceDensity } from '../test/helpers/density-correlation.js';
import { meanDisplacement } from '../shared/bundle/warm.js';
import { dataPath } from './data.js';
import { median, time } from './measure.js';
import type { Row } from './report.js';

const CASES = [
  { key: 'maccdc_sample', name: 'maccdc2012-sample', csv: 'maccdc2012-sample-edges.csv', referenceSeconds: 3.0 },
  { key: 'synthetic_8218', name: 'synthetic-2000-hosts-8218-edges', csv: 'synthetic-2000-hosts-8218-edges.csv', referenceSeconds: 11.17 },
];

interface Graph {
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
  nodeCount: number;
}

/**
 * Warm-up runs before timing: each worker thread compiles its own loops, and the split of the
 * edges between the workers follows their measured speeds, moving half-way each bundling; a
 * live server, bundling again every few seconds, runs in that steady state. With three, the
 * first timed runs of the MACCDC sample were still 20-30% slower than the last.
 */
const WARMUPS = 6;

export async function benchBundle(log: (line: string) => void, runs = 5, bigRuns = 3): Promise<Row[]> {
  const rows: Row[] = [];
  const bundler = new ParallelBundler(2);
  try {
    for (const c of CASES) {
      const graph = readEdgeCsv(dataPath('graphs', c.csv));
      const nodeXY = circularLayout(graph.nodeCount);
      const one = await time(() => hammerBundle(nodeXY, graph.source, graph.target, graph.weight), runs, WARMUPS);
      const two = await time(() => bundler.bundle(nodeXY, graph.source, graph.target, graph.weight), runs, WARMUPS);
      const points = two.result.points;
      const reference = readReferenceDensity(dataPath('reference', `${c.name}.bundle-density-512.u32.gz`));
      const corr = densityCorrelation(countOnGrid(points), reference);
      const s = two.ms / 1000;
      log(`bundle: ${c.name}: ${graph.source.length} edges, ${points.length / 2} vertices; ` +
        `one thread ${(one.ms / 1000).toFixed(3)} s; reference recipe ${c.referenceSeconds} s, ${(c.referenceSeconds / s).toFixed(1)}x faster`);
      rows.push({ key: `bundle_${c.key}_s`, value: s, unit: 's', note: timingNote(two, one) });
      rows.push({ key: `bundle_corr_${c.key}`, value: corr, unit: '' });
    }

    rows.push(...await benchWarm(bundler, log, runs));

    const big = generatedGraph(20_000, 100_000, 2026);
    const nodeXY = circularLayout(big.nodeCount);
    // A full-size warm-up would add several seconds; the small graph compiles the same code.
    const small = readEdgeCsv(dataPath('graphs', CASES[0].csv));
    const smallXY = circularLayout(small.nodeCount);
    const two = await time(() => bundler.bundle(nodeXY, big.source, big.target, big.weight), bigRuns, 1,
      () => bundler.bundle(smallXY, small.source, small.target, small.weight));
    log(`bundle: generated ${big.nodeCount} hosts, ${big.source.length} edges: ${two.result.points.length / 2} vertices`);
    rows.push({ key: 'bundle_100k_s', value: two.ms / 1000, unit: 's', note: timingNote(two, null) });
  } finally {
    await bundler.close();
  }
  return rows;
}

/**
 * Warm start after 5% of the 8,218-edge graph's edges are replaced by seeded random edges
 * between its hosts: the warm bundle's time over a cold bundle's of the changed graph, and
 * how far the unchanged edges moved between the original's bundle and the warm one.
 */
async function benchWarm(bundler: ParallelBundler, log: (line: string) => void, runs: number): Promise<Row[]> {
  const graph = readEdgeCsv(dataPath('graphs', CASES[1].csv));
  const nodeXY = circularLayout(graph.nodeCount);
  const m = graph.source.length;
  const keys = Float64Array.from({ length: m }, (_, i) => i);
  const before = await bundler.bundle(nodeXY, graph.source, graph.target, graph.weight, undefined, { keys, previous: null });
  const changed = { source: Int32Array.from(graph.source), target: Int32Array.from(graph.target), weight: Float64Array.from(graph.weight), keys: Float64Array.from(keys) };
  let state = 2027;
  const rand = (): number => ((state = (state * 16807) % 2147483647) / 2147483647);
  const replaced = Math.round(0.05 * m);
  for (let r = 0; r < replaced; r++) {
    const i = Math.floor(rand() * m);
    const a = Math.floor(rand() * graph.nodeCount);
    changed.source[i] = a;
    changed.target[i] = (a + 1 + Math.floor(rand() * (graph.nodeCount - 1))) % graph.nodeCount;
    changed.weight[i] = graph.weight[Math.floor(rand() * m)];
    changed.keys[i] = m + r;
  }
  const coldBundler = new ParallelBundler(2);
  try {
    const still = await warmAgainstCold(bundler, coldBundler, nodeXY, changed, before.state!, 2 * runs + 1);
    const moved = meanDisplacement(before, keys, still.warm.result, changed.keys, 1); // the circular layout spans [0, 1]
    const likeCold = densityCorrelation(countOnGrid(still.warm.result.points), countOnGrid(still.cold.result.points));
    log(`bundle: warm start, ${CASES[1].name} with ${replaced} of ${m} edges replaced: warm ${(still.warm.ms / 1000).toFixed(3)} s, ` +
      `cold ${(still.cold.ms / 1000).toFixed(3)} s; ${moved.edges} unchanged edges moved ${moved.mean.toFixed(4)} of the canvas; ` +
      `density correlation of the warm picture with the cold one ${likeCold.toFixed(3)}`);
    // Live, hosts come and go: on the circle ordered by address, two joining moves every other host a little.
    const joined = await warmAgainstCold(bundler, coldBundler, twoHostsJoin(nodeXY), changed, before.state!, runs);
    return [
      {
        key: 'bundle_warm_5pct_ratio', value: still.ratio, unit: '',
        note: `median of ${2 * runs + 1} warm/cold pairs; warm ${(still.warm.ms / 1000).toFixed(3)} s, cold ${(still.cold.ms / 1000).toFixed(3)} s, ${CASES[1].name}`,
      },
      {
        label: 'the same with every node moved (two hosts join the circle)', value: joined.ratio, unit: '',
        note: `median of ${runs} pairs; warm ${(joined.warm.ms / 1000).toFixed(3)} s, cold ${(joined.cold.ms / 1000).toFixed(3)} s`,
      },
      { key: 'bundle_unchanged_displacement', value: moved.mean, unit: '', note: `${moved.edges} unchanged edges, 16 points each along their length` },
    ];
  } finally {
    await coldBundler.close();
  }
}

/**
 * Warm bundlings of `graph` from `previous` and cold ones by turns, `pairs` timed after
 * WARMUPS, the ratio taken per pair: the machine's speed drifts by tens of percent from minute
 * to minute, which would skew a ratio of two separate medians. Cold ones on a bundler of
 * their own, so that each keeps its workers' split of its kind. Each result is handed back
 * to its bundler once the next is made, as the live painter does (ParallelBundler.release).
 */
async function warmAgainstCold(
  warmBundler: ParallelBundler, coldBundler: ParallelBundler, nodeXY: Float64Array,
  graph: { source: Int32Array; target: Int32Array; weight: Float64Array; keys: Float64Array }, previous: BundleState, pairs: number,
) {
  const bundle = (by: ParallelBundler, from: BundleState | null) =>
    by.bundle(nodeXY, graph.source, graph.target, graph.weight, undefined, { keys: graph.keys, previous: from });
  const warmRuns: number[] = [], coldRuns: number[] = [], ratios: number[] = [];
  let warmResult: BundleResult | null = null, coldResult: BundleResult | null = null;
  for (let i = 0; i < WARMUPS + pairs; i++) {
    const w = await time(() => bundle(warmBundler, previous), 1, 0);
    if (warmResult !== null) warmBundler.release(warmResult.state!);
    const c = await time(() => bundle(coldBundler, null), 1, 0);
    if (coldResult !== null) coldBundler.release(coldResult.state!);
    warmResult = w.result; coldResult = c.result;
    if (i >= WARMUPS) { warmRuns.push(w.ms); coldRuns.push(c.ms); ratios.push(w.ms / c.ms); }
  }
  if (warmResult === null || coldResult === null) throw new Error('bench: no warm/cold pairs');
  if (!warmResult.warm) throw new Error('bench: the 5% change did not bundle warm');
  return { ratio: median(ratios), warm: { ms: median(warmRuns), result: warmResult }, cold: { ms: median(coldRuns), result: coldResult } };
}

/** The nodes of a circular layout moved as two more hosts, at a third and two thirds of the way round, would move them. */
function twoHostsJoin(nodeXY: Float64Array): Float64Array {
  const n = nodeXY.length / 2;
  const wider = circularLayout(n + 2);
  const moved = new Float64Array(2 * n);
  for (let i = 0, slot = 0; i < n; i++, slot++) {
    if (i === Math.floor(n / 3) || i === Math.floor((2 * n) / 3)) slot++;
    moved[2 * i] = wider[2 * slot];
    moved[2 * i + 1] = wider[2 * slot + 1];
  }
  return moved;
}

/** The runs of the two-worker bundler, its CPU time (all threads), and one-thread hammerBundle's median when measured. */
function timingNote(two: { runs: number[]; cpuMs: number }, one: { ms: number } | null): string {
  return `2 workers, runs ${two.runs.map((ms) => (ms / 1000).toFixed(3)).join('/')} s, cpu ${(two.cpuMs / 1000).toFixed(3)} s` +
    (one === null ? '' : `; 1 thread ${(one.ms / 1000).toFixed(3)} s`);
}

/**
 * A seeded graph shaped like the 8,218-edge synthetic one, scaled up. Hosts 0..n-1 (the
 * circular layout puts them around the circle in id order). Each edge joins a host drawn with
 * Zipf weights (exponent 1) over a random ranking of the hosts to a uniformly drawn host, so a
 * few hubs touch a large share of all edges (with this seed the top three 7.8%, 4.4% and
 * 3.0%; median degree 6) and chords have every length (mean 0.64 of the circle's diameter;
 * the data graphs: 0.64 and 0.68). No self-loops or repeated pairs. Weights are heavy-tailed
 * "bytes": Pareto with shape 0.8 from 40 (median about 100, one in a hundred above 10,000, a
 * few in the millions and beyond).
 */
function generatedGraph(n: number, m: number, seed: number): Graph {
  let state = seed >>> 0;
  const rand = (): number => { // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const byRank = new Int32Array(n);
  for (let i = 0; i < n; i++) byRank[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = byRank[i]; byRank[i] = byRank[j]; byRank[j] = t;
  }
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cdf[r] = total += 1 / (r + 1);
  const zipfHost = (): number => {
    const u = rand() * total;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1; else hi = mid;
    }
    return byRank[lo];
  };
  const source = new Int32Array(m), target = new Int32Array(m), weight = new Float64Array(m);
  const seen = new Set<number>();
  for (let e = 0; e < m;) {
    const a = zipfHost(), b = Math.floor(rand() * n);
    const key = a < b ? a * n + b : b * n + a;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    source[e] = a; target[e] = b;
    weight[e] = Math.round(40 / Math.pow(1 - rand(), 1 / 0.8));
    e++;
  }
  return { source, target, weight, nodeCount: n };
}
