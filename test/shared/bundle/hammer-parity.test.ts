// Parity with the reference (datashader hammer_bundle at defaults, weighted): bundled-vertex
// density correlation as ../shared/data/reference/README.md defines it. >= 0.90 is faithful.
import { expect } from 'vitest';
import { describeData, itData, dataPath } from '../../helpers/data.js';
import { countOnGrid, densityCorrelation, readEdgeCsv, readReferenceDensity } from '../../helpers/density-correlation.js';
import { hammerBundle } from '../../../shared/bundle/hammer.js';
import { circularLayout } from '../../../shared/layout/circular.js';

const CASES: [name: string, csv: string, edges: number][] = [
  ['maccdc2012-sample', 'maccdc2012-sample-edges.csv', 2176],
  ['synthetic-2000-hosts-8218-edges', 'synthetic-2000-hosts-8218-edges.csv', 8218],
];

describeData('hammerBundle parity with the reference bundling', () => {
  for (const [name, csv, edgeCount] of CASES) {
    itData(`${name}: density correlation >= 0.90`, () => {
      const graph = readEdgeCsv(dataPath('graphs', csv));
      expect(graph.source.length).toBe(edgeCount);
      const result = hammerBundle(circularLayout(graph.nodeCount), graph.source, graph.target, graph.weight);
      expect(result.edgeIndex.length).toBe(edgeCount);
      for (const v of result.points) if (!Number.isFinite(v)) throw new Error(`non-finite vertex coordinate ${v}`);
      const reference = readReferenceDensity(dataPath('reference', `${name}.bundle-density-512.u32.gz`));
      const r = densityCorrelation(countOnGrid(result.points), reference);
      console.log(`[bundle parity] ${name}: correlation ${r.toFixed(4)}, ${result.points.length / 2} vertices`);
      expect(r).toBeGreaterThanOrEqual(0.9);
    });
  }

  itData('the metric itself: unbundled straight edges score well below a faithful bundling', () => {
    // The README measures 0.62 for straight edges against the reference; ours must agree that far.
    const graph = readEdgeCsv(dataPath('graphs', 'maccdc2012-sample-edges.csv'));
    const straight = hammerBundle(circularLayout(graph.nodeCount), graph.source, graph.target, graph.weight, { iterations: 0 });
    const reference = readReferenceDensity(dataPath('reference', 'maccdc2012-sample.bundle-density-512.u32.gz'));
    const r = densityCorrelation(countOnGrid(straight.points), reference);
    console.log(`[bundle parity] straight edges: correlation ${r.toFixed(4)}`);
    expect(r).toBeLessThan(0.8);
  });
});
