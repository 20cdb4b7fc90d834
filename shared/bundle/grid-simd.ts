// Runs the grid passes of grid-simd.as.ts (WebAssembly SIMD, four float32 cells at a time) on
// the caller's grids: copies them into the module's memory, works there and copies the result
// back; the copies cost a tenth of what the SIMD saves. One instance per thread, made on
// first use; its memory grows to the largest grid seen.
import { GRID_SIMD_WASM } from './grid-simd-wasm.js';
import type { DensityGrid } from './density.js';

interface GridModule {
  memory: WebAssembly.Memory;
  blurColumns(src: number, dst: number, width: number, height: number, x0: number, x1: number, taps: number, radius: number): number;
  blurRows(src: number, sources: number, dst: number, width: number, rows: number, taps: number, radius: number, padded: number): void;
  unitGradient(
    density: number, r0: number, width: number, height: number, y0: number, y1: number,
    scale: number, fieldOne: number, epsilon: number, field: number,
  ): void;
}

let instance: GridModule | null = null;

function gridModule(): GridModule {
  if (instance === null) {
    const bytes = Uint8Array.from(atob(GRID_SIMD_WASM), (c) => c.charCodeAt(0));
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as GridModule;
  }
  return instance;
}

/** The module's memory as float32, grown to hold at least `count` floats. */
function floats(module: GridModule, count: number): Float32Array {
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
  const module = gridModule();
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
  const module = gridModule();
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

/**
 * gradient.ts unitGradient's rows y0 .. y1-1 in float32: Sobel of density * scale, each
 * vector brought to fieldOne long (plus epsilon), rounded half up, into `field` (x,y bytes per cell).
 */
export function unitGradientSimd(
  density: DensityGrid, width: number, height: number, scale: number, fieldOne: number, epsilon: number,
  field: Int8Array, y0: number, y1: number,
): void {
  if (y1 <= y0) return;
  const module = gridModule();
  const r0 = y0 > 0 ? y0 - 1 : 0, r1 = y1 < height ? y1 + 1 : height;
  const rows = (r1 - r0) * width, out = 2 * (y1 - y0) * width;
  const fieldAt = 4 * align(rows);
  const memory = floats(module, align(rows) + Math.ceil(out / 4) + 4);
  memory.set(density.subarray(r0 * width, r1 * width), 0);
  module.unitGradient(0, r0, width, height, y0, y1, scale, fieldOne, epsilon, fieldAt);
  field.set(new Int8Array(module.memory.buffer, fieldAt, out), 2 * y0 * width);
}
