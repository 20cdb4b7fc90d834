// The picture worker, loaded from source, draws a small graph into a PNG off the main thread.
import { describe, it, expect, afterAll } from 'vitest';
import { PictureRenderer } from '../../../server/pipeline/picture-renderer.js';
import { HostTable } from '../../../shared/graph/hosts.js';
import { decodePng } from '../export/decode-png.js';

describe('PictureRenderer', () => {
  const renderer = new PictureRenderer();
  afterAll(() => renderer.close());

  it('renders a job in the worker and returns the PNG', async () => {
    const hosts = new HostTable();
    const ids = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((a) => hosts.internText(a));
    const result = await renderer.render({
      seq: 7,
      input: {
        hostIds: Int32Array.from(ids), hostFamily: hosts.family.slice(0, 4), hostWords: hosts.words.slice(0, 16),
        edgeSource: Int32Array.from([ids[0], ids[1]]), edgeTarget: Int32Array.from([ids[2], ids[3]]),
        edgeWeight: Float64Array.from([100, 50]), activeHosts: Int32Array.from(ids),
        width: 120, height: 100, how: 'eq_hist', mode: 'points', bundle: false,
      },
      views: [{}],
    });
    expect(result.seq).toBe(7);
    // A palette PNG (few colours), expanded to RGB by the decoder.
    expect(result.frames).toHaveLength(1);
    const img = decodePng(result.frames[0].png);
    expect([img.width, img.height, img.colorType]).toEqual([120, 100, 3]);
    // Four hosts far apart on the circle, each a red disc of radius 1 (datashader's circle:
    // 9 pixels) drawn over its edges' end points; nothing else is lit. The hosts at y = 0 and
    // y = 1 fall in the bottom and top pixel rows (range -0.01..1.01 over 100 rows), so their
    // discs lose the row of 3 pixels outside the canvas: 4 * 9 - 2 * 3.
    let red = 0, other = 0;
    for (let i = 0; i < img.pixels.length; i += 3) {
      if (img.pixels[i] === 255 && img.pixels[i + 1] === 0 && img.pixels[i + 2] === 0) red++;
      else if (img.pixels[i] + img.pixels[i + 1] + img.pixels[i + 2] > 0) other++;
    }
    expect(red).toBe(30);
    expect(other).toBe(0);
  });
});
