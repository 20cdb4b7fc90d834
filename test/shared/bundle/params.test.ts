import { describe, expect, it } from 'vitest';
import { BUNDLE_DEFAULTS, resolveBundleParams } from '../../../shared/bundle/params.js';
import { hammerBundle } from '../../../shared/bundle/hammer.js';

describe('bundle parameters', () => {
  it('defaults to datashader hammer_bundle values (and a limit of our own on edges)', () => {
    expect(BUNDLE_DEFAULTS).toEqual({
      initialBandwidth: 0.05, decay: 0.7, iterations: 4, batchSize: 20000, tension: 0.3,
      accuracy: 500, advectIterations: 50, minSegmentLength: 0.008, maxSegmentLength: 0.016,
      maxEdges: 250_000,
    });
    expect(resolveBundleParams()).toEqual(BUNDLE_DEFAULTS);
    expect(resolveBundleParams({ tension: 0.6, accuracy: 480 })).toEqual({ ...BUNDLE_DEFAULTS, tension: 0.6, accuracy: 480 });
  });

  const bad: [string, unknown][] = [
    ['initialBandwidth', -0.1], ['initialBandwidth', NaN],
    ['decay', 1.5], ['decay', -0.1],
    ['iterations', -1], ['iterations', 2.5],
    ['batchSize', 0], ['batchSize', 10.5],
    ['tension', -0.1], ['tension', 1.1],
    ['accuracy', 0], ['accuracy', 100.5], ['accuracy', 1e6],
    ['advectIterations', -1], ['advectIterations', Infinity],
    ['minSegmentLength', -0.001], ['minSegmentLength', 0.02],
    ['maxSegmentLength', 0], ['maxSegmentLength', 1e-9],
    ['tension', '0.3'],
  ];
  for (const [key, value] of bad) {
    it(`rejects ${key} = ${String(value)} with a RangeError naming it`, () => {
      const call = (): unknown => resolveBundleParams({ [key]: value });
      expect(call).toThrow(RangeError);
      expect(call).toThrow(new RegExp(`^${key} `));
    });
  }

  it('rejects unknown parameters (e.g. the reference snake_case names)', () => {
    expect(() => resolveBundleParams({ initial_bandwidth: 0.1 } as never)).toThrow(TypeError);
    expect(() => resolveBundleParams({ initial_bandwidth: 0.1 } as never)).toThrow(/initial_bandwidth/);
  });

  it('validates parameters and inputs up front in hammerBundle', () => {
    const xy = Float64Array.from([0, 0, 1, 1]);
    const src = Int32Array.from([0]), dst = Int32Array.from([1]);
    expect(() => hammerBundle(xy, src, dst, null, { decay: 2 })).toThrow(/^decay /);
    expect(() => hammerBundle(new Float64Array(3), src, dst, null)).toThrow(/nodeXY/);
    expect(() => hammerBundle(Float64Array.from([0, NaN, 1, 1]), src, dst, null)).toThrow(/nodeXY must be finite/);
    expect(() => hammerBundle([0, 0, 1, 1] as never, src, dst, null)).toThrow(TypeError);
    expect(() => hammerBundle(xy, src, new Int32Array(2), null)).toThrow(/edgeTarget/);
    expect(() => hammerBundle(xy, Float64Array.from([0]) as never, dst, null)).toThrow(/edgeSource/);
    expect(() => hammerBundle(xy, src, dst, new Float64Array(2))).toThrow(/weights length/);
    expect(() => hammerBundle(xy, src, dst, Float64Array.from([-1]))).toThrow(/weights must be/);
    expect(() => hammerBundle(xy, src, dst, Float64Array.from([NaN]))).toThrow(/weights must be/);
    expect(() => hammerBundle(xy, src, dst, Float64Array.from([Infinity]))).toThrow(/weights must be/);
  });
});
