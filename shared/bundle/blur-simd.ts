// Runs the blurs of blur-simd.as.ts (WebAssembly SIMD, four float32 cells at a time) on the
// caller's grids: copies them into the module's memory, blurs there and copies the result
// back; the copies cost a tenth of what the blur saves. One instance per thread, made on
// first use; its memory grows to the largest grid seen.
import { BLUR_SIMD_WASM } from './blur-simd-wasm.js';
import type { DensityGrid } from './density.js';

interface BlurModule {
  memory: WebAssembly.Memory;
  blurColumns(src: number, dst: number, width: number, height: number, x0: number, x1: number, taps: number, radius: number): number;
  blurRows(src: number, sources: number, dst: number, width: number, rows: number, taps: number, radius: number, padded: number): void;
}

let instance: BlurModule | null = null;

function blurModule(): BlurModule {
  if (instance === null) {
    const bytes = Uint8Array.from(atob(BLUR_SIMD_WASM), (c) => c.charCodeAt(0));
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as BlurModule;
  }
  return instance;
}

/** The module's memory as float32, grown to hold at least `count` floats. */
function floats(module: BlurModule, count: number): Float32Array {
  const missing = 4 * count - module.memory.buffer.byteLength;
  if (missing > 0) module.memory.grow(Math.ceil(missing / 65536));
  return new Float32Array(module.memory.buffer);
}

/** Floats from the start of memory to the first grid: the taps (from the centre out), 16-byte aligned. */
function tapsRoom(kernel: Float64Array): number {
  return (((kernel.length + 1) >> 1) + 3) & ~3;
}

/** Writes the taps of the odd, symmetric `kernel` from its centre out at float 0; returns the radius. */
function writeTaps(memory: Float32Array, kernel: Float64Array): number {
  const radius = (kernel.length - 1) >> 1;
  for (let j = 0; j <= radius; j++) memory[j] = kernel[radius + j];
  return radius;
}

const align = (n: number): number => (n + 3) & ~3;

/**
 * Blur along y of columns x0 .. x1-1 of `src` (width x height) with the odd, symmetric
 * `kernel` into `dst`, edge rows replicated; returns the largest value written (at least 0),
 * so that threads can share the maximum without another pass over the grid.
 */
export function blurColumnsY(
  src: DensityGrid, dst: DensityGrid, width: number, height: number, x0: number, x1: number, kernel: Float64Array,
): number {
  const module = blurModule();
  const cells = width * height;
  const srcAt = tapsRoom(kernel), dstAt = srcAt + align(cells);
  const memory = floats(module, dstAt + cells);
  const radius = writeTaps(memory, kernel);
  memory.set(src.subarray(0, cells), srcAt);
  const max = module.blurColumns(4 * srcAt, 4 * dstAt, width, height, x0, x1, 0, radius);
  if (x0 === 0 && x1 === width) dst.set(memory.subarray(dstAt, dstAt + cells));
  else for (let y = 0; y < height; y++) dst.set(memory.subarray(dstAt + y * width + x0, dstAt + y * width + x1), y * width + x0);
  return max;
}

/**
 * Blur along x of rows y0 .. y1-1: the sum of the `sources` grids (partial densities, e.g. one
 * per thread; `dst` may be one of them) convolved with the odd, symmetric `kernel`, edge
 * cells replicated, into `dst`.
 */
export function blurRowsX(
  sources: readonly DensityGrid[], dst: DensityGrid, width: number, y0: number, y1: number, kernel: Float64Array,
): void {
  if (y1 <= y0) return;
  const module = blurModule();
  const band = (y1 - y0) * width;
  const radius = (kernel.length - 1) >> 1;
  const paddedAt = tapsRoom(kernel), srcAt = paddedAt + align(width + 2 * radius + 4);
  const dstAt = srcAt + align(sources.length * band);
  const memory = floats(module, dstAt + band);
  writeTaps(memory, kernel);
  for (let s = 0; s < sources.length; s++) memory.set(sources[s].subarray(y0 * width, y1 * width), srcAt + s * band);
  module.blurRows(4 * srcAt, sources.length, 4 * dstAt, width, y1 - y0, 0, radius, 4 * paddedAt);
  dst.set(memory.subarray(dstAt, dstAt + band), y0 * width);
}
