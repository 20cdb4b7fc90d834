// Bundling bench: cold hammerBundle time (median of 3 after a warm-up run) and density
// correlation with the reference, for the two graphs in ../shared/data/graphs.
// Run: npx tsx bench/bundle.ts   (ends with one JSON line of the bench-figures keys it covers)
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hammerBundle } from '../shared/bundle/hammer.js';
import { circularLayout } from '../shared/layout/circular.js';
import { countOnGrid, densityCorrelation, readEdgeCsv, readReferenceDensity } from '../test/helpers/density-correlation.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = resolve(process.env.NETSHADE_TEST_DATA ?? join(REPO_ROOT, '..', 'shared', 'data'));

const CASES = [
  { key: 'maccdc_sample', name: 'maccdc2012-sample', csv: 'maccdc2012-sample-edges.csv', referenceSeconds: 3.0 },
  { key: 'synthetic_8218', name: 'synthetic-2000-hosts-8218-edges', csv: 'synthetic-2000-hosts-8218-edges.csv', referenceSeconds: 11.17 },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Runs the bundle group; returns its bench-figures keys. */
export function benchBundle(runs = 3): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const c of CASES) {
    const graph = readEdgeCsv(join(DATA_DIR, 'graphs', c.csv));
    const nodeXY = circularLayout(graph.nodeCount);
    const bundle = () => hammerBundle(nodeXY, graph.source, graph.target, graph.weight);
    bundle(); // warm-up: compiles the hot loops
    // Wall time is the figure; CPU time shows how much of it other processes took (2 cores, shared).
    const times: number[] = [], cpu: number[] = [];
    let result = bundle();
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      result = bundle();
      times.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
    }
    const reference = readReferenceDensity(join(DATA_DIR, 'reference', `${c.name}.bundle-density-512.u32.gz`));
    const corr = densityCorrelation(countOnGrid(result.points), reference);
    const s = median(times);
    console.log(
      `${c.name}: ${graph.source.length} edges, ${result.points.length / 2} vertices; ` +
      `cold bundle median ${s.toFixed(3)} s of [${times.map((t) => t.toFixed(3)).join(', ')}] ` +
      `(cpu ${median(cpu).toFixed(3)} s; reference ${c.referenceSeconds} s, ${(c.referenceSeconds / s).toFixed(1)}x faster); ` +
      `correlation ${corr.toFixed(4)}`,
    );
    figures[`bundle_${c.key}_s`] = Number(s.toFixed(4));
    figures[`bundle_corr_${c.key}`] = Number(corr.toFixed(4));
  }
  return figures;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(benchBundle()));
}
