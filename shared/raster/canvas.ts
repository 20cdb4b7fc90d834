// The canvas: pixel grid size and the data ranges it covers, with datashader's mapping from data
// to pixels precomputed. Aggregates are row-major W x H with row 0 at yRange[0] (lowest y).

export interface CanvasSpecInput {
  width: number;
  height: number;
  xRange: readonly [number, number];
  yRange: readonly [number, number];
}

export interface CanvasSpec {
  readonly width: number;
  readonly height: number;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  /** pixel x = trunc(x * xScale + xOffset), as datashader computes it (scale = W / span). */
  readonly xScale: number;
  readonly xOffset: number;
  readonly yScale: number;
  readonly yOffset: number;
}

function checkSize(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function checkRange(value: unknown, name: string): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new TypeError(`${name} must be [min, max]`);
  const [min, max] = value as unknown[];
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`${name} must hold two finite numbers, got [${String(min)}, ${String(max)}]`);
  }
  if (!(max > min)) throw new RangeError(`${name} must have max > min, got [${min}, ${max}]`);
  if (!Number.isFinite(max - min)) throw new RangeError(`${name} spans more than a finite number: [${min}, ${max}]`);
  return Object.freeze([min, max] as const);
}

export function canvasSpec(input: CanvasSpecInput): CanvasSpec {
  const width = checkSize(input.width, 'width');
  const height = checkSize(input.height, 'height');
  const xRange = checkRange(input.xRange, 'xRange');
  const yRange = checkRange(input.yRange, 'yRange');
  const xScale = width / (xRange[1] - xRange[0]);
  const yScale = height / (yRange[1] - yRange[0]);
  return Object.freeze({
    width, height, xRange, yRange,
    xScale, xOffset: -xRange[0] * xScale,
    yScale, yOffset: -yRange[0] * yScale,
  });
}
