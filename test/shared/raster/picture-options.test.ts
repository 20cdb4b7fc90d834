// The picture's options (cmap, background, protocol layers, traffic-sized dots, highlighted
// edges and host), checked against the picture composed stage by stage from the raster
// functions, and against pixels worked out by hand; renderFrame against renderPicture; and the
// largest frame served.
import { describe, it, expect } from 'vitest';
import { canvasSpec } from '../../../shared/raster/canvas.js';
import {
  createPictureBuffers, HIGHLIGHT_COLOR, HIGHLIGHT_HOST, HIGHLIGHT_NEW, NEW_EDGE_COLOR, renderFrame, renderPicture,
  type PictureBuffers, type PictureInput,
} from '../../../shared/raster/picture.js';
import { aggregateLines, aggregatePoints, aggregatePointsAt } from '../../../shared/raster/aggregate.js';
import { shade } from '../../../shared/raster/shade.js';
import { spread } from '../../../shared/raster/spread.js';
import { over, setBackground } from '../../../shared/raster/composite.js';
import { LAYER_RAMPS, layerRamps, ramps } from '../../../shared/colormaps/index.js';
import type { ColorRamp, Rgb } from '../../../shared/colormaps/ramp.js';
import { interpolateBlues, interpolateGreens, interpolateGreys } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

const W = 60, H = 40;
const spec = canvasSpec({ width: W, height: H, xRange: [0, 1], yRange: [0, 1] });

/** Hosts at random places, edges as arcs between them, each with a protocol and highlight bits. */
function randomInput(seed: number, hosts: number, edges: number, active: number): PictureInput {
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const hostXY = new Float64Array(hosts * 2).map(() => random());
  const points: number[] = [];
  const edgeOffsets = new Uint32Array(edges + 1);
  const edgeProto = new Uint8Array(edges);
  const highlightEdges = new Uint8Array(edges);
  for (let e = 0; e < edges; e++) {
    const a = Math.floor(random() * hosts), b = Math.floor(random() * hosts);
    for (let s = 0; s <= 6; s++) {
      const t = s / 6;
      points.push(hostXY[2 * a] * (1 - t) + hostXY[2 * b] * t, hostXY[2 * a + 1] * (1 - t) + hostXY[2 * b + 1] * t + 0.1 * Math.sin(Math.PI * t));
    }
    edgeOffsets[e + 1] = points.length / 2;
    edgeProto[e] = Math.floor(random() * 4);
    highlightEdges[e] = random() < 0.2 ? HIGHLIGHT_NEW : random() < 0.1 ? HIGHLIGHT_HOST | HIGHLIGHT_NEW : 0;
  }
  const activeHosts = Int32Array.from({ length: active }, () => Math.floor(random() * hosts));
  return { edgePoints: new Float64Array(points), edgeOffsets, edgeCount: edges, mode: 'points', how: 'eq_hist', hostXY, activeHosts, activeCount: active, edgeProto, highlightEdges };
}

/** The count aggregate of the edges `keep` accepts. */
function aggregateOf(input: PictureInput, keep: (e: number) => boolean): Uint32Array {
  const points: number[] = [];
  const offsets = [0];
  for (let e = 0; e < input.edgeCount; e++) {
    if (!keep(e)) continue;
    for (let j = input.edgeOffsets[e]; j < input.edgeOffsets[e + 1]; j++) points.push(input.edgePoints[2 * j], input.edgePoints[2 * j + 1]);
    offsets.push(points.length / 2);
  }
  const agg = new Uint32Array(W * H);
  if (input.mode === 'lines') aggregateLines(spec, new Float64Array(points), Uint32Array.from(offsets), offsets.length - 1, agg);
  else aggregatePoints(spec, new Float64Array(points), points.length / 2, agg);
  return agg;
}

/** One colour where the aggregate is non-empty, transparent elsewhere (image rows top first). */
function solid(agg: Uint32Array, color: Rgb): Uint8ClampedArray {
  const image = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (agg[y * W + x] === 0) continue;
      image.set([color[0], color[1], color[2], 255], ((H - 1 - y) * W + x) * 4);
    }
  }
  return image;
}

/** The picture by the book: each stage on whole images, composed with 'over', then the background. */
function composeStages(input: PictureInput, background: Rgb = [0, 0, 0]): Uint8ClampedArray {
  const cmap = ramps[input.cmap ?? 'fire'];
  const layers: [ColorRamp, (e: number) => boolean][] = input.layers
    ? [[cmap, (e) => input.edgeProto![e] === 0], [LAYER_RAMPS.udp, (e) => input.edgeProto![e] === 1],
      [LAYER_RAMPS.icmp, (e) => input.edgeProto![e] === 2], [LAYER_RAMPS.other, (e) => input.edgeProto![e] === 3]]
    : [[cmap, () => true]];
  let picture = new Uint8ClampedArray(W * H * 4);
  for (const [ramp, keep] of layers) {
    const layer = shade(aggregateOf(input, keep), W, H, { how: input.how, cmap: ramp, rescaleDiscreteLevels: true }, new Uint8ClampedArray(W * H * 4));
    picture = over(layer, picture, new Uint8ClampedArray(W * H * 4));
  }
  const marks = input.highlightEdges;
  if (marks !== undefined) {
    picture = over(solid(aggregateOf(input, (e) => (marks[e] & HIGHLIGHT_NEW) !== 0), NEW_EDGE_COLOR), picture, new Uint8ClampedArray(W * H * 4));
    picture = over(solid(aggregateOf(input, (e) => (marks[e] & HIGHLIGHT_HOST) !== 0), HIGHLIGHT_COLOR), picture, new Uint8ClampedArray(W * H * 4));
  }
  const hosts = new Uint32Array(W * H);
  aggregatePointsAt(spec, input.hostXY, input.activeHosts, input.activeCount, hosts);
  const hostImage = shade(hosts, W, H, { how: 'eq_hist', cmap: [255, 0, 0] }, new Uint8ClampedArray(W * H * 4));
  const dots = spread(hostImage, W, H, input.hostSpreadPx ?? 5, new Uint8ClampedArray(W * H * 4));
  return setBackground(over(dots, picture, new Uint8ClampedArray(W * H * 4)), background, new Uint8ClampedArray(W * H * 4));
}

/** renderFrame's picture as RGBA: each drawn pixel's palette colour, the background elsewhere. */
function expandFrame(buffers: PictureBuffers, width = W, height = H): Uint8ClampedArray {
  const { indices, palette } = buffers.indexed;
  const image = new Uint8ClampedArray(width * height * 4);
  const words = new Uint32Array(image.buffer);
  words.fill(palette[0]);
  for (let p = 0; p < width * height; p++) if (buffers.drawn[p >> 5] & (1 << (p & 31))) words[p] = palette[indices[p]];
  return image;
}

const at = (image: Uint8ClampedArray, x: number, y: number, width = W) => [...image.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];

describe('picture options', () => {
  it('leaves the picture as it was when every option is given its default', () => {
    const input = randomInput(11, 80, 25, 30);
    const plain: PictureInput = { ...input, edgeProto: undefined, highlightEdges: undefined };
    const defaults: PictureInput = { ...plain, cmap: 'fire', background: '#000000', layers: false, hostDots: 'fixed', highlightHost: -1 };
    const expected = composeStages(plain);
    expect(renderPicture(spec, plain, createPictureBuffers(W, H))).toEqual(expected);
    expect(renderPicture(spec, defaults, createPictureBuffers(W, H))).toEqual(expected);
    // edgeProto is read only with layers, and all-zero highlight flags draw nothing.
    const unused: PictureInput = { ...plain, edgeProto: input.edgeProto, highlightEdges: new Uint8Array(input.edgeCount) };
    expect(renderPicture(spec, unused, createPictureBuffers(W, H))).toEqual(expected);
  });

  it('shades with the cmap named, over the background given, for points and lines, every how', () => {
    const buffers = createPictureBuffers(W, H);
    for (const [seed, mode, how, cmap, background, rgbOf] of [
      [1, 'points', 'eq_hist', 'viridis', '#102030', [16, 32, 48]], [2, 'lines', 'log', 'magma', '#ffffff', [255, 255, 255]],
      [3, 'points', 'linear', 'cividis', '#000000', [0, 0, 0]], [4, 'lines', 'cbrt', 'fire', '#7F0a00', [127, 10, 0]],
    ] as const) {
      const input: PictureInput = { ...randomInput(seed, 80, 25, 30), mode, how, cmap, background, highlightEdges: undefined };
      const expected = composeStages(input, rgbOf as unknown as Rgb);
      expect(renderPicture(spec, input, buffers)).toEqual(expected);
      expect(renderFrame(spec, input, buffers)).toBe(true);
      expect(expandFrame(buffers)).toEqual(expected);
      // Where nothing is drawn, the background shows.
      const backgroundWord = new Uint32Array(Uint8Array.of(...rgbOf, 255).buffer)[0];
      expect(new Uint32Array(expected.buffer).filter((word) => word === backgroundWord).length).toBeGreaterThan(100);
    }
  });

  it('draws one layer per protocol, each its ramp, tcp at the bottom, highlighted edges on top, as renderFrame does too', () => {
    const buffers = createPictureBuffers(W, H);
    for (const [seed, mode, how, cmap] of [[5, 'points', 'eq_hist', 'fire'], [6, 'lines', 'eq_hist', 'viridis'], [7, 'points', 'log', 'plasma'], [8, 'lines', 'linear', 'fire']] as const) {
      const input: PictureInput = { ...randomInput(seed, 80, 40, 30), mode, how, cmap, layers: true };
      const expected = composeStages(input);
      expect(renderPicture(spec, input, buffers)).toEqual(expected);
      expect(renderFrame(spec, input, buffers)).toBe(true);
      expect(expandFrame(buffers)).toEqual(expected);
      // Without layers, highlights only.
      const single: PictureInput = { ...input, layers: false };
      expect(renderPicture(spec, single, buffers)).toEqual(composeStages(single));
    }
    expect(buffers.hostCounts.every((v) => v === 0)).toBe(true);
    expect(buffers.dotImage.every((v) => v === 0)).toBe(true);
  });

  it('puts each protocol in its own colours where only its edges run, and a highlighted edge in one colour', () => {
    // Four horizontal lines, one per protocol, at y = 0.1, 0.3, 0.5, 0.7; a fifth at y = 0.9, tcp, new and the host's.
    const ys = [0.1, 0.3, 0.5, 0.7, 0.9];
    const edgePoints = new Float64Array(ys.flatMap((y) => [0.05, y, 0.95, y]));
    const input: PictureInput = {
      edgePoints, edgeOffsets: Uint32Array.of(0, 2, 4, 6, 8, 10), edgeCount: 5, mode: 'lines', how: 'eq_hist',
      hostXY: new Float64Array([0.5, 0.5]), activeHosts: new Int32Array(0), activeCount: 0,
      layers: true, edgeProto: Uint8Array.of(0, 1, 2, 3, 0), highlightEdges: Uint8Array.of(0, 0, 0, 0, HIGHLIGHT_NEW | HIGHLIGHT_HOST),
    };
    const image = renderPicture(spec, input, createPictureBuffers(W, H));
    // Every count is 1: one level, so the ramp spans no width (eq_hist's cdf is 1 for it), and
    // numpy's interp maps a value on a run of equal stops to the last: each layer's last colour.
    const top = (ramp: ColorRamp) => [...ramp.rgb.subarray(3 * (ramp.size - 1), 3 * ramp.size), 255];
    // y -> aggregate row floor(y * 40), image row 39 - that.
    expect(at(image, 30, 35)).toEqual(top(ramps.fire));
    expect(at(image, 30, 27)).toEqual(top(LAYER_RAMPS.udp));
    expect(at(image, 30, 19)).toEqual(top(LAYER_RAMPS.icmp));
    expect(at(image, 30, 11)).toEqual(top(LAYER_RAMPS.other));
    expect(at(image, 30, 3)).toEqual([...HIGHLIGHT_COLOR, 255]);
    expect(at(image, 30, 30)).toEqual([0, 0, 0, 255]);
    const newOnly = renderPicture(spec, { ...input, highlightEdges: Uint8Array.of(0, 0, 0, 0, HIGHLIGHT_NEW) }, createPictureBuffers(W, H));
    expect(at(newOnly, 30, 3)).toEqual([...NEW_EDGE_COLOR, 255]);
  });

  it('sizes dots by traffic: 1x for the quietest host, 3x for the busiest, log-scaled between', () => {
    const W2 = 100, H2 = 100;
    const spec2 = canvasSpec({ width: W2, height: H2, xRange: [0, 1], yRange: [0, 1] });
    // Bytes 0, 99 and 9999: log1p gives 0, ln 100 and ln 10000, so the middle host is halfway:
    // radii round(2 * (1 + 2 * t)) = 2, 4, 6.
    const input: PictureInput = {
      edgePoints: new Float64Array(0), edgeOffsets: Uint32Array.of(0), edgeCount: 0, mode: 'points', how: 'eq_hist',
      hostXY: Float64Array.of(0.205, 0.205, 0.505, 0.505, 0.805, 0.805), activeHosts: Int32Array.of(0, 1, 2), activeCount: 3,
      hostSpreadPx: 2, hostDots: 'traffic', hostBytes: Float64Array.of(0, 99, 9999),
    };
    const buffers = createPictureBuffers(W2, H2);
    const image = renderPicture(spec2, input, buffers);
    const red = (x: number, y: number) => at(image, x, y, W2).join() === '255,0,0,255';
    for (const [cx, radius] of [[20, 2], [50, 4], [80, 6]]) {
      const cy = H2 - 1 - cx;
      // A disc of radius r holds the pixels within r + 0.5 of its centre.
      let inside = 0, lit = 0;
      for (let dy = -10; dy <= 10; dy++) {
        for (let dx = -10; dx <= 10; dx++) {
          const within = Math.hypot(dx, dy) <= radius + 0.5;
          if (within) inside++;
          if (red(cx + dx, cy + dy)) { lit++; expect(within, `(${dx}, ${dy}) of the dot of radius ${radius}`).toBe(true); }
        }
      }
      expect(lit).toBe(inside);
      expect(red(cx + radius, cy)).toBe(true);
      expect(red(cx + radius + 1, cy)).toBe(false);
    }
    expect(renderFrame(spec2, input, buffers)).toBe(true);
    expect(expandFrame(buffers, W2, H2)).toEqual(image);
    expect(buffers.cellRadius!.every((v) => v === 0)).toBe(true);
    // All alike: every dot the base size.
    const alike = renderPicture(spec2, { ...input, hostBytes: Float64Array.of(5, 5, 5) }, buffers);
    expect(at(alike, 50 + 2, 49, W2)).toEqual([255, 0, 0, 255]);
    expect(at(alike, 50 + 3, 49, W2)).toEqual([0, 0, 0, 255]);
  });

  it('rings the highlighted host: 2 pixels wide, 1 pixel clear of its dot, over everything', () => {
    const W2 = 100, H2 = 100;
    const spec2 = canvasSpec({ width: W2, height: H2, xRange: [0, 1], yRange: [0, 1] });
    // A line under the ring's right side, so the ring is seen on top of it.
    const input: PictureInput = {
      edgePoints: Float64Array.of(0.505, 0.505, 0.995, 0.505), edgeOffsets: Uint32Array.of(0, 2), edgeCount: 1, mode: 'lines', how: 'eq_hist',
      hostXY: Float64Array.of(0.505, 0.505, 0.105, 0.105), activeHosts: Int32Array.of(0, 1), activeCount: 2, highlightHost: 0,
    };
    const buffers = createPictureBuffers(W2, H2);
    const image = renderPicture(spec2, input, buffers);
    const ring = [...HIGHLIGHT_COLOR, 255].join();
    // Dot radius 5 (within 5.5 px); ring from 7 to 8 px (within 8.5, beyond 6.5).
    let ringPixels = 0;
    for (let y = 0; y < H2; y++) {
      for (let x = 0; x < W2; x++) {
        const d = Math.hypot(x - 50, y - 49);
        const isRing = at(image, x, y, W2).join() === ring;
        expect(isRing, `pixel (${x}, ${y}) at ${d.toFixed(2)} px`).toBe(d > 6.5 && d <= 8.5);
        if (isRing) ringPixels++;
      }
    }
    expect(ringPixels).toBeGreaterThan(0);
    expect(at(image, 50 + 6, 49, W2)).toEqual([255, 255, 255, 255]); // the line, in the gap
    expect(at(image, 50 + 9, 49, W2)).toEqual([255, 255, 255, 255]); // the line, past the ring
    expect(renderFrame(spec2, input, buffers)).toBe(true);
    expect(expandFrame(buffers, W2, H2)).toEqual(image);
    // Off the canvas, the part of its ring that falls on it is drawn.
    const off = renderPicture(spec2, { ...input, hostXY: Float64Array.of(1.03, 0.505, 0.105, 0.105) }, buffers);
    // The host would be at column 103: the ring reaches column 103 - 8 = 95.
    expect(at(off, 95, 49, W2).join()).toBe(ring);
    expect(at(off, 94, 49, W2).join()).not.toBe(ring);
  });

  it('falls back to RGBA when the layers need more than 256 colours', () => {
    // Four layers, each a row of columns holding 1..80 points: 80 distinct counts a layer, shaded linear.
    const wide = canvasSpec({ width: 100, height: 100, xRange: [0, 1], yRange: [0, 1] });
    const points: number[] = [], offsets = [0], protos: number[] = [];
    for (let layer = 0; layer < 4; layer++) {
      for (let i = 0; i < 80; i++) for (let k = 0; k <= i; k++) points.push((i + 0.5) / 100, (10 + 20 * layer + 0.5) / 100);
      offsets.push(points.length / 2);
      protos.push(layer);
    }
    const input: PictureInput = {
      edgePoints: new Float64Array(points), edgeOffsets: Uint32Array.from(offsets), edgeCount: 4, mode: 'points', how: 'linear',
      hostXY: new Float64Array([0.1, 0.1]), activeHosts: Int32Array.of(0), activeCount: 1, layers: true, edgeProto: Uint8Array.from(protos),
    };
    const buffers = createPictureBuffers(100, 100);
    expect(renderFrame(wide, input, buffers)).toBe(false);
    expect(buffers.hostCounts.every((v) => v === 0)).toBe(true);
    const image = renderPicture(wide, input, buffers);
    expect(new Set(new Uint32Array(image.buffer)).size).toBeGreaterThan(256);
    // One layer alone fits.
    expect(renderFrame(wide, { ...input, edgeCount: 1 }, buffers)).toBe(true);
  });

  it('validates every option, naming it', () => {
    const buffers = createPictureBuffers(W, H);
    const ok = randomInput(1, 10, 2, 2);
    const bad: [Partial<PictureInput>, RegExp][] = [
      [{ cmap: 'rainbow' as 'fire' }, /cmap must be one of fire, viridis/],
      [{ background: 'black' }, /background must be '#rrggbb'/],
      [{ background: '#12345' }, /background/],
      [{ layers: 1 as unknown as boolean }, /layers must be a boolean/],
      [{ layers: true, edgeProto: undefined }, /edgeProto must be a Uint8Array of at least edgeCount = 2/],
      [{ layers: true, edgeProto: Uint8Array.of(0, 4) }, /edgeProto\[1\] = 4/],
      [{ hostDots: 'big' as 'fixed' }, /hostDots must be 'fixed' or 'traffic'/],
      [{ hostDots: 'traffic' }, /hostBytes must be a Float64Array/],
      [{ hostDots: 'traffic', hostBytes: new Float64Array(10).fill(-1) }, /hostBytes\[\d+\] must be finite and >= 0/],
      [{ highlightEdges: Uint8Array.of(0) }, /highlightEdges must be a Uint8Array of at least edgeCount = 2/],
      [{ highlightEdges: Uint8Array.of(0, 4) }, /highlightEdges\[1\] = 4/],
      [{ highlightHost: 10 }, /highlightHost must be -1 or a host id 0..9/],
      [{ highlightHost: 0.5 }, /highlightHost/],
    ];
    for (const [change, message] of bad) {
      expect(() => renderPicture(spec, { ...ok, ...change }, buffers), JSON.stringify(change)).toThrow(RangeError);
      expect(() => renderFrame(spec, { ...ok, ...change }, buffers)).toThrow(message);
    }
  });
});

describe('layer ramps', () => {
  it("are ColorBrewer's Blues, Greens and Greys run dark to light, short of their near-white ends", () => {
    const hex = (ramp: ColorRamp, i: number) => '#' + [...ramp.rgb.subarray(3 * i, 3 * i + 3)].map((v) => v.toString(16).padStart(2, '0')).join('');
    expect([hex(LAYER_RAMPS.udp, 0), hex(LAYER_RAMPS.udp, 255)]).toEqual([rgb(interpolateBlues(1)).formatHex(), rgb(interpolateBlues(0.15)).formatHex()]);
    expect([hex(LAYER_RAMPS.icmp, 0), hex(LAYER_RAMPS.icmp, 255)]).toEqual([rgb(interpolateGreens(1)).formatHex(), rgb(interpolateGreens(0.15)).formatHex()]);
    expect([hex(LAYER_RAMPS.other, 0), hex(LAYER_RAMPS.other, 255)]).toEqual([rgb(interpolateGreys(0.8)).formatHex(), rgb(interpolateGreys(0.1)).formatHex()]);
    expect(hex(LAYER_RAMPS.udp, 0)).toBe('#08306b');
    expect(LAYER_RAMPS.tcp).toBe(ramps.fire);
    expect(layerRamps('viridis')).toEqual({ ...LAYER_RAMPS, tcp: ramps.viridis });
  });
});

describe('the largest frame', () => {
  it('renders 7680x2160, default and in layers, indexed and as RGBA', () => {
    const width = 7680, height = 2160;
    const big = canvasSpec({ width, height, xRange: [-1.3, 2.3], yRange: [-0.01, 1.01] });
    const small = randomInput(21, 400, 2000, 300);
    const input: PictureInput = { ...small, hostSpreadPx: 27, highlightHost: 3 };
    const t0 = performance.now();
    const buffers = createPictureBuffers(width, height);
    const t1 = performance.now();
    expect(buffers.image.length).toBe(width * height * 4);
    expect(buffers.indexed.indices.length).toBe(width * height);
    expect(renderFrame(big, input, buffers)).toBe(true);
    const t2 = performance.now();
    const rgba = renderPicture(big, input, buffers);
    const t3 = performance.now();
    expect(renderFrame(big, { ...input, layers: true }, buffers)).toBe(true);
    const t4 = performance.now();
    console.log(`[7680x2160] buffers ${(t1 - t0).toFixed(0)} ms, renderFrame ${(t2 - t1).toFixed(0)} ms, renderPicture ${(t3 - t2).toFixed(0)} ms, layers renderFrame ${(t4 - t3).toFixed(0)} ms`);
    // Host 3's pixel by the canvas mapping (image rows top first); its ring lies 29..30 px out.
    const hx = Math.trunc(input.hostXY[6] * big.xScale + big.xOffset), hy = height - 1 - Math.trunc(input.hostXY[7] * big.yScale + big.yOffset);
    const ringAt = hx + 30 < width ? hx + 30 : hx - 30;
    expect(at(rgba, ringAt, hy, width)).toEqual([...HIGHLIGHT_COLOR, 255]);
    expect(at(rgba, 0, 0, width)).toEqual([0, 0, 0, 255]);
    expect(at(rgba, width - 1, height - 1, width)).toEqual([0, 0, 0, 255]);
  });
});
