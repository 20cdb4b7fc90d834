// Bundle group: cold hammerBundle of the two graphs in ../shared/data/graphs on the circular
// layout (median of 3 after a warm-up run), and the density correlation of the result with
// the reference (../shared/data/reference/README.md).
import { hammerBundle } from '../shared/bundle/hammer.js';
import { circularLayout } from '../shared/layout/circular.js';
import { countOnGrid, densityCorrelation, readEdgeCsv, readReferenceDensity } from '../test/helpers/density-correlation.js';
import { dataPath } from './data.js';
import { time } from './measure.js';
import type { Row } from './report.js';

const CASES = [
  { key: 'maccdc_sample', name: 'maccdc2012-sample', csv: 'maccdc2012-sample-edges.csv', referenceSeconds: 3.0 },
  { key: 'synthetic_8218', name: 'synthetic-2000-hosts-8218-edges', csv: 'synthetic-2000-hosts-8218-edges.csv', referenceSeconds: 11.17 },
];

export async function benchBundle(log: (line: string) => void, runs = 3): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of CASES) {
    const graph = readEdgeCsv(dataPath('graphs', c.csv));
    const nodeXY = circularLayout(graph.nodeCount);
    const t = await time(() => hammerBundle(nodeXY, graph.source, graph.target, graph.weight), runs, 1);
    const points = t.result.points;
    const reference = readReferenceDensity(dataPath('reference', `${c.name}.bundle-density-512.u32.gz`));
    const corr = densityCorrelation(countOnGrid(points), reference);
    const s = t.ms / 1000;
    log(`bundle: ${c.name}: ${graph.source.length} edges, ${points.length / 2} vertices; ` +
      `reference recipe ${c.referenceSeconds} s, ${(c.referenceSeconds / s).toFixed(1)}x faster`);
    rows.push({
      key: `bundle_${c.key}_s`, value: s, unit: 's',
      note: `runs ${t.runs.map((ms) => (ms / 1000).toFixed(3)).join('/')} s, cpu ${(t.cpuMs / 1000).toFixed(3)} s`,
    });
    rows.push({ key: `bundle_corr_${c.key}`, value: corr, unit: '' });
  }
  return rows;
}
