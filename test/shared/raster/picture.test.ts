import { describe, it, expect } from 'vitest';
import { canvasSpec } from '../../../shared/raster/canvas.js';
import { createPictureBuffers, renderFrame, renderPicture, type PictureBuffers, type PictureInput } from '../../../shared/raster/picture.js';
import { aggregateLines, aggregatePoints, aggregatePointsAt } from '../../../shared/raster/aggregate.js';
import { shade } from '../../../shared/raster/shade.js';
import { spread } from '../../../shared/raster/spread.js';
import { over, setBackground } from '../../../shared/raster/composite.js';
import { fire } from '../../../shared/colormaps/fire.js';

const W = 60, H = 40;
const spec = canvasSpec({ width: W, height: H, xRange: [0, 1], yRange: [0, 1] });

function randomInput(seed: number, hosts: number, edges: number, active: number): PictureInput {
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const hostXY = new Float64Array(hosts * 2).map(() => random());
  const points: number[] = [];
  const edgeOffsets = new Uint32Array(edges + 1);
  for (let e = 0; e < edges; e++) {
    const a = Math.floor(random() * hosts), b = Math.floor(random() * hosts);
    for (let s = 0; s <= 6; s++) {
      const t = s / 6;
      points.push(hostXY[2 * a] * (1 - t) + hostXY[2 * b] * t, hostXY[2 * a + 1] * (1 - t) + hostXY[2 * b + 1] * t + 0.1 * Math.sin(Math.PI * t));
    }
    edgeOffsets[e + 1] = points.length / 2;
  }
  const activeHosts = Int32Array.from({ length: active }, () => Math.floor(random() * hosts));
  return { edgePoints: new Float64Array(points), edgeOffsets, edgeCount: edges, mode: 'points', how: 'eq_hist', hostXY, activeHosts, activeCount: active };
}

/** The picture by the book: each stage on whole images, as datashader composes them. */
function composeStages(input: PictureInput): Uint8ClampedArray {
  const edges = new Uint32Array(W * H);
  if (input.mode === 'lines') aggregateLines(spec, input.edgePoints, input.edgeOffsets, input.edgeCount, edges);
  else aggregatePoints(spec, input.edgePoints, input.edgeOffsets[input.edgeCount], edges);
  const hosts = new Uint32Array(W * H);
  aggregatePointsAt(spec, input.hostXY, input.activeHosts, input.activeCount, hosts);
  const edgeImage = shade(edges, W, H, { how: input.how, cmap: fire, rescaleDiscreteLevels: true }, new Uint8ClampedArray(W * H * 4));
  const hostImage = shade(hosts, W, H, { how: 'eq_hist', cmap: [255, 0, 0] }, new Uint8ClampedArray(W * H * 4));
  const dots = spread(hostImage, W, H, 5, new Uint8ClampedArray(W * H * 4));
  return setBackground(over(dots, edgeImage, new Uint8ClampedArray(W * H * 4)), [0, 0, 0], new Uint8ClampedArray(W * H * 4));
}

/** Pixels that are not opaque black but whose bit in `drawn` is clear (none expected). */
function undrawnColored(image: Uint8ClampedArray, drawn: Int32Array): number[] {
  const missing: number[] = [];
  for (let p = 0; p < W * H; p++) {
    const black = image[4 * p] === 0 && image[4 * p + 1] === 0 && image[4 * p + 2] === 0 && image[4 * p + 3] === 255;
    if (!black && (drawn[p >> 5] & (1 << (p & 31))) === 0) missing.push(p);
  }
  return missing;
}

describe('renderPicture', () => {
  it('equals the stage-by-stage composition, for points and lines, every how, and marks every pixel drawn', () => {
    const buffers = createPictureBuffers(W, H);
    for (const [seed, mode, how] of [[1, 'points', 'eq_hist'], [2, 'lines', 'eq_hist'], [3, 'points', 'log'], [4, 'lines', 'linear'], [5, 'points', 'cbrt']] as const) {
      // Many hosts on a small canvas: dots overlap, share pixels (counts of 2 and 3) and cross edges.
      const input = { ...randomInput(seed, 80, 25, 30), mode, how };
      const image = renderPicture(spec, input, buffers);
      expect(image).toEqual(composeStages(input));
      expect(undrawnColored(image, buffers.drawn)).toEqual([]);
    }
  });

  it('leaves nothing behind from one frame to the next', () => {
    const buffers = createPictureBuffers(W, H);
    renderPicture(spec, randomInput(7, 50, 10, 40), buffers);
    const next = randomInput(8, 50, 10, 3);
    const fresh = createPictureBuffers(W, H);
    expect(renderPicture(spec, next, buffers)).toEqual(renderPicture(spec, next, fresh));
    expect(buffers.drawn).toEqual(fresh.drawn);
    expect(buffers.hostCounts.every((v) => v === 0)).toBe(true);
    expect(buffers.hostImage.every((v) => v === 0)).toBe(true);
    expect(buffers.dotImage.every((v) => v === 0)).toBe(true);
  });

  it('draws a lone host as an opaque red disc and a lone vertex in white, on opaque black', () => {
    const input: PictureInput = {
      edgePoints: new Float64Array([0.5, 0.5]), edgeOffsets: new Uint32Array([0, 1]), edgeCount: 1, mode: 'points', how: 'eq_hist',
      hostXY: new Float64Array([0.1, 0.1, 0.9, 0.9]), activeHosts: new Int32Array([1]), activeCount: 1,
    };
    const image = renderPicture(spec, input, createPictureBuffers(W, H));
    const at = (x: number, y: number) => [...image.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)];
    // (0.5, 0.5) -> pixel (30, 20), image row 40 - 1 - 20 = 19; (0.9, 0.9) -> (54, 36), image row 3.
    expect(at(30, 19)).toEqual([255, 255, 255, 255]);
    // The disc of radius 5 holds offsets with dx² + dy² <= 30.
    expect(at(54, 3)).toEqual([255, 0, 0, 255]);
    expect(at(59, 3)).toEqual([255, 0, 0, 255]); // 25
    expect(at(58, 6)).toEqual([255, 0, 0, 255]); // 16 + 9
    expect(at(59, 5)).toEqual([255, 0, 0, 255]); // 25 + 4
    expect(at(59, 6)).toEqual([0, 0, 0, 255]); // 25 + 9
    expect(at(54, 9)).toEqual([0, 0, 0, 255]); // 36
    expect(at(0, 0)).toEqual([0, 0, 0, 255]);
  });

  it('grows its host lists for many active hosts', () => {
    const buffers = createPictureBuffers(W, H);
    const input = randomInput(9, 3000, 5, 2500);
    expect(renderPicture(spec, input, buffers)).toEqual(composeStages(input));
    expect(buffers.hostCells.length).toBeGreaterThanOrEqual(2500);
  });

  it('validates its input', () => {
    const buffers = createPictureBuffers(W, H);
    const ok = randomInput(1, 10, 2, 2);
    expect(() => renderPicture(spec, ok, createPictureBuffers(W, H + 1))).toThrow(/buffers are 60x41, the canvas is 60x40/);
    expect(() => renderPicture(spec, { ...ok, mode: 'dots' as 'points' }, buffers)).toThrow(/mode must be 'points' or 'lines'/);
    expect(() => renderPicture(spec, { ...ok, how: 'sqrt' as 'log' }, buffers)).toThrow(/how must be one of/);
    expect(() => renderPicture(spec, { ...ok, edgeCount: 3 }, buffers)).toThrow(/edgeCount must be an integer 0..2/);
    expect(() => renderPicture(spec, { ...ok, edgePoints: new Float64Array(4) }, buffers)).toThrow(/not a range of the 2 edge vertices/);
    expect(() => renderPicture(spec, { ...ok, activeCount: -1 }, buffers)).toThrow(/activeCount/);
    expect(() => renderPicture(spec, { ...ok, activeHosts: new Int32Array([10, 0]) }, buffers)).toThrow(/indices\[0\] = 10/);
    expect(() => createPictureBuffers(0, 5)).toThrow(/width/);
  });
});

/** renderFrame's picture as RGBA: each drawn pixel's palette colour, the background elsewhere. */
function expandFrame(buffers: PictureBuffers): Uint8ClampedArray {
  const { indices, palette } = buffers.indexed;
  const image = new Uint8ClampedArray(W * H * 4);
  const words = new Uint32Array(image.buffer);
  words.fill(palette[0]);
  for (let p = 0; p < W * H; p++) if (buffers.drawn[p >> 5] & (1 << (p & 31))) words[p] = palette[indices[p]];
  return image;
}

describe('renderFrame', () => {
  it('draws, as palette indices, the picture renderPicture draws, for points and lines, every how', () => {
    const buffers = createPictureBuffers(W, H);
    for (const [seed, mode, how] of [[1, 'points', 'eq_hist'], [2, 'lines', 'eq_hist'], [3, 'points', 'log'], [4, 'lines', 'linear'], [5, 'points', 'cbrt'], [9, 'points', 'eq_hist']] as const) {
      const input = { ...randomInput(seed, 80, 25, 30), mode, how };
      expect(renderFrame(spec, input, buffers)).toBe(true);
      expect(buffers.indexed.size).toBeLessThanOrEqual(256);
      expect(buffers.indexed.palette[0]).toBe(new Uint32Array(Uint8Array.of(0, 0, 0, 255).buffer)[0]);
      expect(expandFrame(buffers)).toEqual(composeStages(input));
    }
    expect(buffers.hostCounts.every((v) => v === 0)).toBe(true);
    expect(buffers.hostImage.every((v) => v === 0)).toBe(true);
    expect(buffers.dotImage.every((v) => v === 0)).toBe(true);
  });

  it('gives up on a picture of more than 256 colours, leaving the host buffers clear', () => {
    // Points stacked along one row: column i holds i + 1 of them, counts 1..300 shaded linear.
    const wide = canvasSpec({ width: 300, height: 300, xRange: [0, 1], yRange: [0, 1] });
    const buffers = createPictureBuffers(300, 300);
    const points: number[] = [];
    for (let i = 0; i < 300; i++) for (let k = 0; k <= i; k++) points.push((i + 0.5) / 300, 0.5);
    const input: PictureInput = {
      edgePoints: new Float64Array(points), edgeOffsets: Uint32Array.of(0, points.length / 2), edgeCount: 1, mode: 'points', how: 'linear',
      hostXY: new Float64Array([0.1, 0.1]), activeHosts: Int32Array.of(0), activeCount: 1,
    };
    expect(renderFrame(wide, input, buffers)).toBe(false);
    expect(buffers.hostCounts.every((v) => v === 0)).toBe(true);
    // renderPicture draws it all the same.
    const image = renderPicture(wide, input, buffers);
    const colors = new Set(new Uint32Array(image.buffer));
    expect(colors.size).toBeGreaterThan(256);
  });

  it('gives up on edge counts of EQ_HIST_BINS or more (shaded cell by cell)', () => {
    const buffers = createPictureBuffers(W, H);
    const input: PictureInput = {
      edgePoints: new Float64Array(2 * 70_000).fill(0.5), edgeOffsets: Uint32Array.of(0, 70_000), edgeCount: 1, mode: 'points', how: 'eq_hist',
      hostXY: new Float64Array([0.1, 0.1]), activeHosts: Int32Array.of(0), activeCount: 1,
    };
    expect(renderFrame(spec, input, buffers)).toBe(false);
    expect(renderPicture(spec, input, buffers)).toEqual(composeStages(input));
  });
});
