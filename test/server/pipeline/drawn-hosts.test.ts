// The hosts a graph's frames draw (GraphPainter.paintFramesWith's `hosts`, which the page hit-tests):
// the active hosts that are laid out, in address order with IPv6 after IPv4, each where the layout
// put it; a host laid out but without traffic (no dot) is not among them, nor an active host
// missing from the layout.
import { describe, it, expect } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { GraphPainter, type EdgeBundler, type GraphPictureInput } from '../../../server/pipeline/graph-picture.js';
import { FramePngEncoder } from '../../../server/export/png.js';

const noBundling: EdgeBundler = { bundle: () => Promise.reject(new Error('straight edges: no bundling')), release: () => {} };

describe('GraphPainter.paintFramesWith hosts', () => {
  it('lists the drawn hosts in address order where the circle puts them, alike for every view', async () => {
    const table = new HostTable();
    // Ids in the order seen; by address: 10.0.0.1 (id 2), 10.0.0.9 (0), 192.168.0.5 (3), 2001:db8::1 (1), fe80::1 (4).
    const ids = ['10.0.0.9', '2001:db8::1', '10.0.0.1', '192.168.0.5', 'fe80::1', '172.16.0.1'].map((a) => table.internText(a));
    const n = table.size;
    // Laid out: all but 172.16.0.1 (id 5); 192.168.0.5 has no edge; id 5 is active but not laid out.
    const input: GraphPictureInput = {
      hostIds: Int32Array.of(0, 1, 2, 3, 4), hostFamily: table.family.slice(0, n), hostWords: table.words.slice(0, 4 * n),
      edgeSource: Int32Array.of(2, 1), edgeTarget: Int32Array.of(0, 4), edgeWeight: Float64Array.of(10, 20),
      activeHosts: Int32Array.of(0, 1, 2, 4, 5, 2), width: 64, height: 64, how: 'eq_hist', mode: 'lines', bundle: false,
    };
    expect(ids).toEqual([0, 1, 2, 3, 4, 5]);
    const { frames, hosts } = await new GraphPainter().paintFramesWith(input, [{}, { region: { x0: 0, y0: 0, x1: 0.5, y1: 0.5 } }], new FramePngEncoder(), noBundling);
    expect(frames).toHaveLength(2);
    expect(Array.from(hosts.ids)).toEqual([2, 0, 1, 4]);
    // Ranks among the five laid out: 10.0.0.1 0, 10.0.0.9 1, (192.168.0.5 2), 2001:db8::1 3, fe80::1 4.
    const circle = (r: number) => [0.5 + 0.5 * Math.cos((2 * Math.PI * r) / 5), 0.5 + 0.5 * Math.sin((2 * Math.PI * r) / 5)];
    const want = [0, 1, 3, 4].flatMap(circle);
    expect(hosts.xy).toHaveLength(want.length);
    want.forEach((v, k) => expect(hosts.xy[k]).toBeCloseTo(v, 12));
  });
});
