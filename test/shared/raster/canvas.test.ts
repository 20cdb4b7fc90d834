import { describe, it, expect } from 'vitest';
import { canvasSpec } from '../../../shared/raster/canvas.js';

describe('canvasSpec', () => {
  it('returns a frozen spec with datashader scale and offset (pixel = x * scale + offset)', () => {
    const spec = canvasSpec({ width: 4, height: 2, xRange: [-2, 2], yRange: [10, 20] });
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.xRange)).toBe(true);
    expect(spec).toMatchObject({ width: 4, height: 2, xRange: [-2, 2], yRange: [10, 20], xScale: 1, xOffset: 2, yScale: 0.2, yOffset: -2 });
  });

  it('rejects sizes that are not positive integers, naming them', () => {
    const ok = { width: 4, height: 4, xRange: [0, 1] as [number, number], yRange: [0, 1] as [number, number] };
    expect(() => canvasSpec({ ...ok, width: 0 })).toThrow(/width must be a positive integer/);
    expect(() => canvasSpec({ ...ok, height: 2.5 })).toThrow(/height must be a positive integer/);
    expect(() => canvasSpec({ ...ok, width: Number.NaN })).toThrow(RangeError);
  });

  it('rejects ranges that are not finite with max > min', () => {
    const ok = { width: 4, height: 4, xRange: [0, 1] as [number, number], yRange: [0, 1] as [number, number] };
    expect(() => canvasSpec({ ...ok, xRange: [1, 1] })).toThrow(/xRange must have max > min/);
    expect(() => canvasSpec({ ...ok, yRange: [2, 1] })).toThrow(/yRange must have max > min/);
    expect(() => canvasSpec({ ...ok, xRange: [0, Infinity] })).toThrow(/xRange must hold two finite numbers/);
    expect(() => canvasSpec({ ...ok, yRange: [Number.NaN, 1] })).toThrow(/yRange/);
    expect(() => canvasSpec({ ...ok, xRange: [-1e308, 1e308] })).toThrow(/xRange spans more than a finite number/);
    expect(() => canvasSpec({ ...ok, xRange: [0] as unknown as [number, number] })).toThrow(TypeError);
  });
});
