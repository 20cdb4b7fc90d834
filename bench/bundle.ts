// Bundle group: cold bundles (no state kept from an earlier bundling) on the circular layout
// of the two graphs in ../shared/data/graphs and of a generated 100,000-edge graph, by the
// parallel bundler meant for the live pipeline (server/pipeline/parallel-bundle.ts: two worker
// threads, started before timing; for the data graphs one-thread hammerBundle beside it);
// medians of several runs after a warm-up.
// Also the density correlation of each data graph's result with the reference
// (../shared/data/reference/README.md).
import { hammerBundle } from '../shared/bundle/hammer.js';
import { circularLayout } from '../shared/layout/circular.js';
import { ParallelBundler } from '../server/pipeline/parallel-bundle.js';
import { countOnGrid, densityCorrelation, readEdgeCsv, readReferenceDensity } from '../test/helpers/density-correlation.js';
import { dataPath } from './data.js';
import { time } from './measure.js';
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

export async function benchBundle(log: (line: string) => void, runs = 5, bigRuns = 3): Promise<Row[]> {
  const rows: Row[] = [];
  const bundler = new ParallelBundler(2);
  try {
    for (const c of CASES) {
      const graph = readEdgeCsv(dataPath('graphs', c.csv));
      const nodeXY = circularLayout(graph.nodeCount);
      const one = await time(() => hammerBundle(nodeXY, graph.source, graph.target, graph.weight), runs, 1);
      const two = await time(() => bundler.bundle(nodeXY, graph.source, graph.target, graph.weight), runs, 1);
      const points = two.result.points;
      const reference = readReferenceDensity(dataPath('reference', `${c.name}.bundle-density-512.u32.gz`));
      const corr = densityCorrelation(countOnGrid(points), reference);
      const s = two.ms / 1000;
      log(`bundle: ${c.name}: ${graph.source.length} edges, ${points.length / 2} vertices; ` +
        `one thread ${(one.ms / 1000).toFixed(3)} s; reference recipe ${c.referenceSeconds} s, ${(c.referenceSeconds / s).toFixed(1)}x faster`);
      rows.push({ key: `bundle_${c.key}_s`, value: s, unit: 's', note: timingNote(two, one) });
      rows.push({ key: `bundle_corr_${c.key}`, value: corr, unit: '' });
    }

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
