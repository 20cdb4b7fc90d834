// Hit-testing the picture's hosts: the grid's answer is the brute-force nearest host within the
// radius, in pixels as drawn, for the whole picture and zoomed regions placed anywhere on a canvas.
import { describe, it, expect } from 'vitest';
import { HostHitGrid, pixelX, pixelY, type PixelRect } from '../../../shared/raster/host-hits.js';
import type { ViewRanges } from '../../../shared/raster/view-region.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n hosts round the layout's circle (as the circular layout puts them), then m at random. */
function hosts(n: number, m: number, random: () => number) {
  const x = new Float64Array(n + m), y = new Float64Array(n + m);
  for (let i = 0; i < n; i++) {
    x[i] = 0.5 + 0.5 * Math.cos((2 * Math.PI * i) / n);
    y[i] = 0.5 + 0.5 * Math.sin((2 * Math.PI * i) / n);
  }
  for (let i = n; i < n + m; i++) { x[i] = random(); y[i] = random(); }
  return { x, y };
}

/** The nearest host within r pixels by looking at every one, the canvas mapping written out here. */
function bruteForce(x: Float64Array, y: Float64Array, px: number, py: number, ranges: ViewRanges, rect: PixelRect, r: number): number {
  let best = -1, bestD = r;
  for (let i = 0; i < x.length; i++) {
    const hx = rect.x + ((x[i] - ranges.xRange[0]) * rect.w) / (ranges.xRange[1] - ranges.xRange[0]);
    const hy = rect.y + rect.h - ((y[i] - ranges.yRange[0]) * rect.h) / (ranges.yRange[1] - ranges.yRange[0]);
    const d = Math.hypot(hx - px, hy - py);
    if (d < bestD - 1e-9) { best = i; bestD = d; }
  }
  return best;
}

const WHOLE: ViewRanges = { xRange: [-0.01 - 0.255, 1.01 + 0.255], yRange: [-0.01, 1.01] };
const RECT: PixelRect = { x: 37, y: 12, w: 1275, h: 1020 };

describe('HostHitGrid', () => {
  it('finds the nearest host within the radius, as looking at every host does, whole and zoomed', () => {
    const random = seeded(7);
    const { x, y } = hosts(5000, 500, random);
    const grid = new HostHitGrid();
    grid.index(x, y);
    // The whole picture, a 10x zoom on the circle's rim, and a 10,000x one.
    const views: ViewRanges[] = [WHOLE, { xRange: [0.9, 1.05], yRange: [0.45, 0.57] }, { xRange: [0.99995, 1.00010], yRange: [0.49995, 0.50007] }];
    let found = 0;
    for (const ranges of views) {
      for (let q = 0; q < 3000; q++) {
        // Half the queries near a host, half anywhere on the canvas (or off it).
        const near = q % 2 === 0 ? Math.floor(random() * x.length) : -1;
        const px = near >= 0 ? pixelX(ranges, RECT, x[near]) + (random() - 0.5) * 12 : RECT.x - 50 + random() * (RECT.w + 100);
        const py = near >= 0 ? pixelY(ranges, RECT, y[near]) + (random() - 0.5) * 12 : RECT.y - 50 + random() * (RECT.h + 100);
        const r = 2 + random() * 8;
        const want = bruteForce(x, y, px, py, ranges, RECT, r);
        expect(grid.hostAt(px, py, ranges, RECT, r), `query ${q} at (${px}, ${py}) r ${r}`).toBe(want);
        if (want >= 0) found++;
      }
    }
    expect(found).toBeGreaterThan(3000);
  });

  it('puts each host where the picture is drawn: at its own pixel, it is the one found', () => {
    const x = Float64Array.of(0.25, 0.75, 0.5), y = Float64Array.of(0.25, 0.75, 1.0);
    const grid = new HostHitGrid();
    grid.index(x, y);
    // Layout (0.25, 0.25) is a quarter of the way across the unit square and a quarter up from its bottom.
    const ranges: ViewRanges = { xRange: [0, 1], yRange: [0, 1] }, rect = { x: 100, y: 50, w: 400, h: 400 };
    expect([pixelX(ranges, rect, 0.25), pixelY(ranges, rect, 0.25)]).toEqual([200, 350]);
    for (let i = 0; i < 3; i++) expect(grid.hostAt(pixelX(ranges, rect, x[i]), pixelY(ranges, rect, y[i]), ranges, rect, 1)).toBe(i);
    expect(grid.hostAt(200 + 3, 350 + 3.9, ranges, rect, 5)).toBe(0);
    expect(grid.hostAt(200 + 3, 350 + 4.1, ranges, rect, 5)).toBe(-1);
    expect(grid.hostAt(300, 250, ranges, rect, 50)).toBe(-1);
  });

  it('handles no hosts, hosts all in one place, and a smaller set indexed into the same buffers', () => {
    const grid = new HostHitGrid();
    grid.index(new Float64Array(0), new Float64Array(0));
    expect(grid.hostAt(10, 10, WHOLE, RECT, 100)).toBe(-1);
    const same = new Float64Array(4).fill(0.5);
    grid.index(same, same);
    expect(grid.hostAt(pixelX(WHOLE, RECT, 0.5), pixelY(WHOLE, RECT, 0.5), WHOLE, RECT, 1)).toBe(0);
    const { x, y } = hosts(2000, 0, seeded(1));
    grid.index(x, y);
    grid.index(x, y, 10);
    // Host 1000 (the circle's far side) is not among the first ten any more.
    expect(grid.hostAt(pixelX(WHOLE, RECT, x[1000]), pixelY(WHOLE, RECT, y[1000]), WHOLE, RECT, 3)).toBe(-1);
    expect(grid.hostAt(pixelX(WHOLE, RECT, x[5]), pixelY(WHOLE, RECT, y[5]), WHOLE, RECT, 3)).toBe(5);
    expect(() => grid.index(x, y, 2001)).toThrow(/count/);
    expect(() => grid.index(Float64Array.of(NaN), Float64Array.of(0))).toThrow(/finite/);
  });

  it('answers a pointer move in microseconds over thousands of hosts', () => {
    const random = seeded(3);
    const { x, y } = hosts(5000, 0, random);
    const grid = new HostHitGrid();
    const t0 = performance.now();
    grid.index(x, y);
    const indexMs = performance.now() - t0;
    const queries = 100_000;
    const px = new Float64Array(queries), py = new Float64Array(queries);
    for (let q = 0; q < queries; q++) {
      const i = Math.floor(random() * x.length);
      px[q] = pixelX(WHOLE, RECT, x[i]) + (random() - 0.5) * 20;
      py[q] = pixelY(WHOLE, RECT, y[i]) + (random() - 0.5) * 20;
    }
    let hits = 0;
    const t1 = performance.now();
    for (let q = 0; q < queries; q++) if (grid.hostAt(px[q], py[q], WHOLE, RECT, 8) >= 0) hits++;
    const perQueryUs = ((performance.now() - t1) * 1000) / queries;
    console.log(`[host-hits] 5000 hosts on a circle: index ${indexMs.toFixed(2)} ms, ${perQueryUs.toFixed(2)} µs a query (${hits} hits of ${queries})`);
    expect(hits).toBeGreaterThan(queries / 2);
    // A 60 Hz pointer leaves 16 ms a move; the machines are noisy, so the bound is loose.
    expect(perQueryUs).toBeLessThan(50);
  });
});
