// GraphPainter's picture options: zoomed regions, the three layouts, protocol layers through
// bundling's and straightening's edge order, traffic-sized dots, highlighted edges and host;
// every option checked up front; and the options through the picture worker.
import { describe, it, expect, afterAll } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { canvasSpec, type CanvasSpec } from '../../../shared/raster/canvas.js';
import { HIGHLIGHT_COLOR, NEW_EDGE_COLOR } from '../../../shared/raster/picture.js';
import { LAYER_RAMPS, ramps } from '../../../shared/colormaps/index.js';
import type { ColorRamp } from '../../../shared/colormaps/ramp.js';
import { mulberry32 } from '../../../server/sources/demo-traffic.js';
import {
  bundles, checkGraphPictureInput, edgeKeys, GraphPainter, regionRanges, squareRanges, type GraphPictureInput,
} from '../../../server/pipeline/graph-picture.js';
import { jobTransferList } from '../../../server/pipeline/picture-job.js';
import { FramePngEncoder } from '../../../server/export/png.js';
import { hammerBundle } from '../../../shared/bundle/hammer.js';
import type { EdgeBundler } from '../../../server/pipeline/graph-picture.js';
import { PictureCancelled, PictureRenderer } from '../../../server/pipeline/picture-renderer.js';
import type { BundleState, WarmStart } from '../../../shared/bundle/hammer.js';
import { decodePng } from '../export/decode-png.js';

// 101 pixels: the hosts and the lines between them fall mid-pixel, not on pixel edges.
const SIZE = 101;

/**
 * Four hosts, ids 0..3 in address order, so on the circle host i sits at angle i * 90°:
 * (1, 0.5), (0.5, 1), (0, 0.5), (0.5, 0). Edges 0-2 (tcp, horizontal) and 1-3 (udp, vertical).
 */
function square(): GraphPictureInput {
  const hosts = new HostTable();
  const ids = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((a) => hosts.internText(a));
  return {
    hostIds: Int32Array.from(ids), hostFamily: hosts.family.slice(0, 4), hostWords: hosts.words.slice(0, 16),
    edgeSource: Int32Array.of(0, 1), edgeTarget: Int32Array.of(2, 3), edgeWeight: Float64Array.of(100, 10), edgeProto: Uint8Array.of(0, 1),
    activeHosts: Int32Array.from(ids), width: SIZE, height: SIZE, how: 'eq_hist', mode: 'lines', bundle: false,
  };
}

/** The image pixel (column, row from the top) of (x, y) by the canvas mapping. */
function pixelOf(spec: CanvasSpec, x: number, y: number): [number, number] {
  return [Math.trunc(x * spec.xScale + spec.xOffset), spec.height - 1 - Math.trunc(y * spec.yScale + spec.yOffset)];
}

const rgbaAt = (rgba: Uint8ClampedArray, width: number, [x, y]: [number, number]) => [...rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
const lastColour = (ramp: ColorRamp) => [...ramp.rgb.subarray(3 * (ramp.size - 1)), 255];
const RED = [255, 0, 0, 255];

function countColour(rgba: Uint8ClampedArray, colour: number[]): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] === colour[0] && rgba[i + 1] === colour[1] && rgba[i + 2] === colour[2]) n++;
  return n;
}

describe('regionRanges', () => {
  it('shows the region, widened about its centre to the canvas aspect', () => {
    // 0.5 x 0.5 on 200 x 100: x must span twice y, 1.0, about x = 0.5.
    expect(regionRanges(200, 100, { x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 })).toEqual({ xRange: [0, 1], yRange: [0.25, 0.75] });
    // 0.5 wide, 0.125 high on 100 x 100: y widened to 0.5 about 0.5.
    expect(regionRanges(100, 100, { x0: 0, y0: 0.4375, x1: 0.5, y1: 0.5625 })).toEqual({ xRange: [0, 0.5], yRange: [0.25, 0.75] });
    expect(regionRanges(300, 200)).toEqual(squareRanges(300, 200));
  });

  it('refuses a region that is not one', () => {
    for (const region of [{ x0: 0, y0: 0, x1: 0, y1: 1 }, { x0: 0, y0: 1, x1: 1, y1: 0 }, { x0: 0, y0: 0, x1: Number.NaN, y1: 1 }, { x0: 0, y0: 0, x1: 1e-9, y1: 1 }, null]) {
      expect(() => regionRanges(100, 100, region as never)).toThrow(/region must be \{x0, y0, x1, y1\}/);
    }
  });
});

describe('GraphPainter options', () => {
  it('draws a zoomed region at full resolution: a host and its edge where the region puts them', () => {
    const input = { ...square(), region: { x0: 0.905, y0: 0.405, x1: 1.105, y1: 0.605 } };
    const picture = new GraphPainter().paint(input);
    // Host 0 at (1, 0.5) is 0.095 of 0.2 into the region on both axes: pixel 0.475 * 101 = 47.98 -> 47, row 100 - 47.
    const spec = canvasSpec({ width: SIZE, height: SIZE, ...regionRanges(SIZE, SIZE, input.region) });
    expect(pixelOf(spec, 1, 0.5)).toEqual([47, 53]);
    expect(rgbaAt(picture.rgba, SIZE, [47, 53])).toEqual(RED);
    // Its dot (radius 1: 9 pixels) is the only one in view; its edge to host 2 runs left along row 53.
    expect(countColour(picture.rgba, RED)).toBe(9);
    expect(rgbaAt(picture.rgba, SIZE, [10, 53])).toEqual(lastColour(ramps.fire));
    expect(rgbaAt(picture.rgba, SIZE, [10, 52])).toEqual([0, 0, 0, 255]);
    expect(() => new GraphPainter().paint({ ...input, region: { x0: 1, y0: 0, x1: 0, y1: 1 } })).toThrow(RangeError);
  });

  it("places hosts at random from a fixed seed, each host id always at its own two draws", () => {
    const input = { ...square(), layout: 'random' as const };
    const picture = new GraphPainter().paint(input);
    const random = mulberry32(2012);
    const draws = Array.from({ length: 8 }, () => random());
    const spec = canvasSpec({ width: SIZE, height: SIZE, ...squareRanges(SIZE, SIZE) });
    for (let id = 0; id < 4; id++) expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, draws[2 * id], draws[2 * id + 1])), `host ${id}`).toEqual(RED);
    // The same picture every time, and for a new painter.
    expect(new GraphPainter().paint(input).rgba).toEqual(picture.rgba);
  });

  it('lays hosts out by force: deterministic, and warm-started from the last frame', () => {
    // A star: host 0 linked to the three others (on the circle the layout would be symmetric).
    const input: GraphPictureInput = {
      ...square(), layout: 'force', edgeSource: Int32Array.of(0, 0, 0), edgeTarget: Int32Array.of(1, 2, 3), edgeWeight: Float64Array.of(1, 1, 1), edgeProto: undefined,
    };
    const first = new GraphPainter().paint(input);
    expect(new GraphPainter().paint(input).rgba).toEqual(first.rgba);
    expect(first.rgba).not.toEqual(new GraphPainter().paint({ ...input, layout: 'circular' }).rgba);
    // The next frame of the same graph starts where this one ended: the dots stay put.
    const painter = new GraphPainter();
    const red = (rgba: Uint8ClampedArray) => new Set(Array.from({ length: SIZE * SIZE }, (_, p) => p).filter((p) => rgba[4 * p] === 255 && rgba[4 * p + 1] === 0));
    const before = red(painter.paint(input).rgba), after = red(painter.paint(input).rgba);
    const kept = [...after].filter((p) => before.has(p)).length;
    expect(before.size).toBeGreaterThan(20);
    expect(kept).toBeGreaterThanOrEqual(0.8 * before.size);
  });

  it('colours each protocol layer by its edge, also when some edges are dropped for an unknown host', () => {
    // A first edge to host 9, which is not laid out, is dropped: the layers must follow the edges kept.
    const base = square();
    const input: GraphPictureInput = {
      ...base, layers: true,
      edgeSource: Int32Array.of(0, 0, 1), edgeTarget: Int32Array.of(9, 2, 3), edgeWeight: Float64Array.of(5, 100, 10), edgeProto: Uint8Array.of(2, 0, 1),
    };
    const picture = new GraphPainter().paint(input);
    const spec = canvasSpec({ width: SIZE, height: SIZE, ...squareRanges(SIZE, SIZE) });
    // One count a pixel: each layer's last colour; udp (drawn over tcp) where they cross.
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.25, 0.5))).toEqual(lastColour(ramps.fire));
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.5, 0.25))).toEqual(lastColour(LAYER_RAMPS.udp));
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.5, 0.5))).toEqual(lastColour(LAYER_RAMPS.udp));
    const viridis = new GraphPainter().paint({ ...input, cmap: 'viridis' });
    expect(rgbaAt(viridis.rgba, SIZE, pixelOf(spec, 0.25, 0.5))).toEqual(lastColour(ramps.viridis));
    // Bundled: the kept edges keep their protocols too (both layers drawn, no icmp).
    const bundled = new GraphPainter().paint({ ...input, bundle: true, width: 300, height: 300 });
    expect(countColour(bundled.rgba, lastColour(ramps.fire))).toBeGreaterThan(50);
    expect(countColour(bundled.rgba, lastColour(LAYER_RAMPS.udp))).toBeGreaterThan(50);
    expect(countColour(bundled.rgba, lastColour(LAYER_RAMPS.icmp))).toBe(0);
  });

  it("highlights a host's edges and rings its dot, and new edges in their colour", () => {
    const input = { ...square(), highlightHost: 1, highlightEdges: Uint8Array.of(1, 0), background: '#203040' };
    const picture = new GraphPainter().paint(input);
    const spec = canvasSpec({ width: SIZE, height: SIZE, ...squareRanges(SIZE, SIZE) });
    // Edge 0-2 is new; edge 1-3 is host 1's, drawn over it where they cross.
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.25, 0.5))).toEqual([...NEW_EDGE_COLOR, 255]);
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.5, 0.25))).toEqual([...HIGHLIGHT_COLOR, 255]);
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.5, 0.5))).toEqual([...HIGHLIGHT_COLOR, 255]);
    // Host 1 at (0.5, 1): a dot of radius 1, the ring 3..4 px out (within 4.5, beyond 2.5).
    const [hx, hy] = pixelOf(spec, 0.5, 1);
    expect(rgbaAt(picture.rgba, SIZE, [hx - 3, hy])).toEqual([...HIGHLIGHT_COLOR, 255]);
    expect(rgbaAt(picture.rgba, SIZE, [hx - 2, hy])).toEqual([0x20, 0x30, 0x40, 255]);
    expect(rgbaAt(picture.rgba, SIZE, [0, 0])).toEqual([0x20, 0x30, 0x40, 255]);
    // A host that is not laid out highlights nothing.
    const none = new GraphPainter().paint({ ...square(), highlightHost: 7 });
    expect(none.rgba).toEqual(new GraphPainter().paint(square()).rgba);
  });

  it("sizes dots by each host's bytes, the sum of its edges' weights", () => {
    // Bytes per host: 0: 1e6 + 1, 1: 2, 2: 1e6, 3: 0 (edge 1-3 weighs 0; 1-1 is a self-loop of 1, counted once).
    const base = square();
    const input: GraphPictureInput = {
      ...base, width: 401, height: 401, hostDots: 'traffic',
      edgeSource: Int32Array.of(0, 1, 0, 1), edgeTarget: Int32Array.of(2, 3, 1, 1), edgeWeight: Float64Array.of(1e6, 0, 1, 1), edgeProto: undefined,
    };
    const picture = new GraphPainter().paint(input);
    const spec = canvasSpec({ width: 401, height: 401, ...squareRanges(400, 400) });
    // Base radius 1 at 401 px; host 0 the busiest (3 px), host 3 the quietest (1 px); host 2: log1p(1e6) / log1p(1e6 + 1) -> 3 px; host 1: log1p(2) / 13.8 -> 1 px.
    const reach = (id: number, x: number, y: number) => {
      const [cx, cy] = pixelOf(spec, x, y);
      let r = 0;
      while (r < 10 && rgbaAt(picture.rgba, 401, [cx, cy + (y > 0.5 ? r + 1 : -(r + 1))]).join() === RED.join()) r++;
      return [id, r];
    };
    expect([reach(0, 1, 0.5), reach(1, 0.5, 1), reach(2, 0, 0.5), reach(3, 0.5, 0)]).toEqual([[0, 3], [1, 1], [2, 3], [3, 1]]);
  });

  it('checks every option before drawing, naming it', () => {
    const bad: [Partial<GraphPictureInput>, RegExp][] = [
      [{ cmap: 'jet' as 'fire' }, /cmap must be one of/],
      [{ background: '#fff' }, /background must be '#rrggbb'/],
      [{ layers: 'yes' as unknown as boolean }, /layers must be a boolean/],
      [{ layers: true, edgeProto: undefined }, /edgeProto is needed with layers/],
      [{ edgeProto: Uint8Array.of(0) }, /edgeProto must be a Uint8Array of one protocol code per edge \(2\)/],
      [{ layout: 'spring' as 'force' }, /layout must be one of circular, force, random/],
      [{ hostDots: 'huge' as 'fixed' }, /hostDots must be 'fixed' or 'traffic'/],
      [{ highlightEdges: Uint8Array.of(1) }, /highlightEdges must be a Uint8Array of one flag per edge \(2\)/],
      [{ highlightHost: -2 }, /highlightHost must be a host id or -1/],
      [{ region: { x0: 0, y0: 0, x1: 1, y1: Infinity } }, /region must be/],
      [{ width: 0 }, /width must be a positive integer/],
      [{ how: 'sqrt' as 'log' }, /how must be one of/],
      [{ mode: 'dots' as 'lines' }, /mode must be 'points' or 'lines'/],
      [{ bundle: undefined as unknown as boolean }, /bundle must be a boolean/],
    ];
    for (const [change, message] of bad) {
      expect(() => checkGraphPictureInput({ ...square(), ...change }), JSON.stringify(change)).toThrow(RangeError);
      expect(() => new GraphPainter().paint({ ...square(), ...change })).toThrow(message);
    }
  });
});

describe('picture jobs with options', () => {
  const renderer = new PictureRenderer();
  afterAll(() => renderer.close());

  it('moves the protocol and highlight arrays to the worker, which draws them', async () => {
    const input: GraphPictureInput = { ...square(), layers: true, highlightEdges: Uint8Array.of(0, 1), highlightHost: 0 };
    const job = { seq: 3, input, views: [{}] };
    const buffers = jobTransferList(job);
    expect(buffers).toContain(input.edgeProto!.buffer);
    expect(buffers).toContain(input.highlightEdges!.buffer);
    expect(new Set(buffers).size).toBe(buffers.length);
    const expected = new GraphPainter().paint({ ...input, edgeProto: input.edgeProto!.slice(), highlightEdges: input.highlightEdges!.slice() });
    const result = await renderer.render(job);
    const img = decodePng(result.frames[0].png);
    expect([img.width, img.height]).toEqual([SIZE, SIZE]);
    for (let p = 0; p < SIZE * SIZE; p++) {
      const a = [img.pixels[3 * p], img.pixels[3 * p + 1], img.pixels[3 * p + 2]];
      const b = [expected.rgba[4 * p], expected.rgba[4 * p + 1], expected.rgba[4 * p + 2]];
      if (a.join() !== b.join()) expect(a, `pixel ${p}`).toEqual(b);
    }
  });
});

describe('edges summed by bytes, and antialiased', () => {
  /** The ramp's colour at `fraction` of its span, channels interpolated between stops and truncated (as shading does). */
  function rampAt(ramp: ColorRamp, fraction: number): number[] {
    const at = fraction * (ramp.size - 1), k = Math.min(Math.floor(at), ramp.size - 2), t = at - k;
    return [0, 1, 2].map((c) => Math.trunc(ramp.rgb[3 * k + c] + t * (ramp.rgb[3 * (k + 1) + c] - ramp.rgb[3 * k + c]))).concat(255);
  }
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 1);

  it("sums each edge's bytes where it runs: the 100-byte edge brighter than the 10-byte one, their crossing brightest", () => {
    const input: GraphPictureInput = { ...square(), how: 'linear', cmap: 'viridis', aggregate: 'bytes' };
    const picture = new GraphPainter().paint(input);
    const spec = canvasSpec({ width: SIZE, height: SIZE, ...squareRanges(SIZE, SIZE) });
    // Sums 100 (horizontal), 10 (vertical), 110 (crossing): linear from the smallest, so 0.9, 0 and 1 of the ramp.
    const horizontal = rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.25, 0.5));
    expect(near(horizontal, rampAt(ramps.viridis, 0.9)), `${horizontal} ~ ${rampAt(ramps.viridis, 0.9)}`).toBe(true);
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.5, 0.25))).toEqual(rampAt(ramps.viridis, 0));
    expect(rgbaAt(picture.rgba, SIZE, pixelOf(spec, 0.5, 0.5))).toEqual(lastColour(ramps.viridis));
    // Counted instead: one edge a pixel on both, two at the crossing.
    const counted = new GraphPainter().paint({ ...input, aggregate: 'count' });
    expect(rgbaAt(counted.rgba, SIZE, pixelOf(spec, 0.25, 0.5))).toEqual(rgbaAt(counted.rgba, SIZE, pixelOf(spec, 0.5, 0.25)));
    // In protocol layers too (tcp the horizontal, udp the vertical edge): each layer its own span.
    expect(() => new GraphPainter().paint({ ...input, layers: true, mode: 'points' })).not.toThrow();
    expect(() => checkGraphPictureInput({ ...input, aggregate: 'max' as 'count' })).toThrow(/aggregate must be 'count' or 'bytes'/);
  });

  it('spreads an antialiased line over the two pixels nearest it in each column', () => {
    // The diagonal edge from host 0 (1, 0.5) to host 1 (0.5, 1), no dots in the way.
    const input: GraphPictureInput = {
      ...square(), edgeSource: Int32Array.of(0), edgeTarget: Int32Array.of(1), edgeWeight: Float64Array.of(1), edgeProto: undefined,
      activeHosts: new Int32Array(0), how: 'linear',
    };
    const lit = (rgba: Uint8ClampedArray) => { let n = 0; for (let i = 0; i < rgba.length; i += 4) if (rgba[i] + rgba[i + 1] + rgba[i + 2] > 0) n++; return n; };
    const aliased = lit(new GraphPainter().paint(input).rgba);
    const smooth = new GraphPainter().paint({ ...input, antialias: true }).rgba;
    // About 50 columns: one pixel each, against two (less where the line passes through a pixel's middle).
    expect(aliased).toBeGreaterThan(45);
    expect(lit(smooth)).toBeGreaterThan(1.5 * aliased);
    // The line runs at 45°, so each column splits it alike: two shares, two shades (and the background).
    const colours = new Set<number>();
    for (let i = 0; i < smooth.length; i += 4) colours.add((smooth[i] << 16) | (smooth[i + 1] << 8) | smooth[i + 2]);
    expect(colours.size).toBeGreaterThanOrEqual(3);
    // Points have nothing to antialias.
    expect(new GraphPainter().paint({ ...input, mode: 'points', antialias: true }).rgba).toEqual(new GraphPainter().paint({ ...input, mode: 'points' }).rgba);
  });
});

describe('GraphPainter.paintFramesWith', () => {
  it('places and bundles once for several views, and reuses that for a job of the same stamp', async () => {
    const input: GraphPictureInput = { ...square(), bundle: true, mode: 'points', width: 120, height: 120 };
    let bundlings = 0;
    const bundle: EdgeBundler = {
      bundle: (xy, source, target, weights) => { bundlings++; return Promise.resolve(hammerBundle(xy, source, target, weights)); },
      release: () => {},
    };
    const painter = new GraphPainter();
    const encoder = new FramePngEncoder();
    const views = [{}, { cmap: 'viridis' as const, how: 'log' as const }, { width: 90, height: 60, region: { x0: 0.5, y0: 0.25, x1: 1, y1: 0.75 } }];
    const { frames } = await painter.paintFramesWith(input, views, encoder, bundle, 'graph 1');
    expect(bundlings).toBe(1);
    expect(frames.map((f) => [f.width, f.height])).toEqual([[120, 120], [120, 120], [90, 60]]);
    // Each frame is the picture of its view.
    for (const [k, view] of views.entries()) {
      const expected = new GraphPainter().paint({ ...input, ...view });
      const img = decodePng(frames[k].png);
      for (let p = 0; p < expected.width * expected.height; p++) {
        const a = [img.pixels[3 * p], img.pixels[3 * p + 1], img.pixels[3 * p + 2]], b = [expected.rgba[4 * p], expected.rgba[4 * p + 1], expected.rgba[4 * p + 2]];
        if (a.join() !== b.join()) expect(a, `view ${k} pixel ${p}`).toEqual(b);
      }
    }
    const again = await painter.paintFramesWith(input, [{ cmap: 'magma' }], encoder, bundle, 'graph 1');
    expect(bundlings).toBe(1);
    expect(again.frames).toHaveLength(1);
    await painter.paintFramesWith(input, [{}], encoder, bundle, 'graph 2');
    await painter.paintFramesWith(input, [{}], encoder, bundle);
    await painter.paintFramesWith(input, [{}], encoder, bundle);
    expect(bundlings).toBe(4);
    await expect(painter.paintFramesWith(input, [{ how: 'sqrt' as 'log' }], encoder, bundle)).rejects.toThrow(/how must be one of/);
  });
});

describe('bundles: more edges than bundling takes are drawn straight', () => {
  it('bundles up to BUNDLE_DEFAULTS.maxEdges edges, and no more', () => {
    const input = (edges: number) => ({ bundle: true, edgeSource: new Int32Array(edges) }) as unknown as Parameters<typeof bundles>[0];
    expect(bundles(input(250_000))).toBe(true);
    expect(bundles(input(250_001))).toBe(false);
    expect(bundles({ ...input(10), bundle: false })).toBe(false);
  });
});

describe('warm starts in live pictures', () => {
  it('keys each edge by its host ids and protocol, and gives none when keys would repeat or lose bits', () => {
    const input = square(); // edges 0-2 tcp (0), 1-3 udp (1)
    expect(Array.from(edgeKeys(input)!)).toEqual([(0 * 2 ** 25 + 2) * 8 + 0, (1 * 2 ** 25 + 3) * 8 + 1]);
    // The same pair and protocol either way round is the same edge: twice is not unique.
    expect(edgeKeys({ ...input, edgeSource: Int32Array.of(0, 2), edgeTarget: Int32Array.of(2, 0), edgeProto: Uint8Array.of(0, 0) })).toBeNull();
    expect(edgeKeys({ ...input, edgeTarget: Int32Array.of(2, 2 ** 25) })).toBeNull();
  });

  it('bundles each new graph from the last bundling on the same layout, and cold on another', async () => {
    const input: GraphPictureInput = { ...square(), bundle: true, mode: 'points', width: 60, height: 60 };
    const seen: (WarmStart | undefined)[] = [];
    const made: BundleState[] = [], released: BundleState[] = [];
    const bundle: EdgeBundler = {
      bundle: (xy, source, target, weights, warm) => {
        seen.push(warm);
        const result = hammerBundle(xy, source, target, weights, undefined, warm);
        made.push(result.state!);
        return Promise.resolve(result);
      },
      release: (state) => released.push(state),
    };
    const painter = new GraphPainter();
    const encoder = new FramePngEncoder();
    await painter.paintFramesWith(input, [{}], encoder, bundle, 'a');
    await painter.paintFramesWith(input, [{}], encoder, bundle, 'b');
    await painter.paintFramesWith({ ...input, layout: 'random' }, [{}], encoder, bundle, 'c');
    expect(seen.map((w) => w?.previous === null)).toEqual([true, false, true]);
    expect(Array.from(seen[1]!.previous!.keys)).toEqual(Array.from(edgeKeys(input)!));
    // Each state is handed back once the next bundling has read it (the last is kept for the next).
    expect(seen[1]!.previous).toBe(made[0]);
    expect(released).toHaveLength(2);
    expect(released[0]).toBe(made[0]);
    expect(released[1]).toBe(made[1]);
  });

  it('abandons a job while it bundles when asked, and draws the next', async () => {
    // 2,000 hosts and 150,000 chords: about 4 s of bundling, far more than the wait below.
    const hosts = new HostTable();
    const ids = Int32Array.from({ length: 2000 }, (_, i) => hosts.internText(`10.${i >> 8}.${i & 255}.1`));
    const rand = mulberry32(5);
    const source = new Int32Array(150_000), target = new Int32Array(150_000);
    for (let e = 0; e < 150_000; e++) { source[e] = Math.floor(rand() * 2000); target[e] = (source[e] + 1 + Math.floor(rand() * 1999)) % 2000; }
    const big: GraphPictureInput = {
      hostIds: ids, hostFamily: hosts.family.slice(0, 2000), hostWords: hosts.words.slice(0, 8000),
      edgeSource: source, edgeTarget: target, edgeWeight: new Float64Array(150_000).fill(1), activeHosts: ids,
      width: 100, height: 100, how: 'eq_hist', mode: 'points', bundle: true,
    };
    const renderer = new PictureRenderer();
    try {
      const pending = renderer.render({ seq: 1, input: big, views: [{}] }).catch((err: unknown) => err);
      await new Promise((r) => setTimeout(r, 1500)); // the worker and its bundler start, then bundle
      expect(renderer.cancel()).toBe(true);
      expect(await pending).toBeInstanceOf(PictureCancelled);
      expect(renderer.cancel()).toBe(false);
      const next = await renderer.render({ seq: 2, input: square(), views: [{}] });
      expect(next.seq).toBe(2);
    } finally {
      await renderer.close();
    }
  });
});
