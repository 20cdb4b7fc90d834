// Parameters of KDE ("hammer") edge bundling: defaults as in datashader's hammer_bundle,
// and their validation, done once before any loop runs.

export interface BundleParams {
  /** Blur bandwidth of the first iteration, as a fraction of the unit square (before decay). */
  initialBandwidth: number;
  /** Bandwidth factor per iteration, in [0, 1]; iteration i uses initialBandwidth * decay^(i+1). */
  decay: number;
  /** Density/advect rounds; stops early once the bandwidth drops below 2 grid cells. 0 leaves edges straight (resampled). */
  iterations: number;
  /**
   * Edges per work unit. The reference splits edges into batches only to spread them over
   * cores; the result does not depend on it (the density is a sum over batches).
   */
  batchSize: number;
  /** Smoothing factor in [0, 1] of the final passes: 0 leaves the polyline as advected. */
  tension: number;
  /** Density grid resolution: (accuracy+1)^2 cells over the unit square. */
  accuracy: number;
  /**
   * Advection per iteration, in grid cells: the reference's count of one-cell gradient steps in
   * every round, with a resample after every second one. Here it is the first round's
   * distance; later rounds move in proportion to their bandwidth, in two-cell steps with a
   * resample after every third (advect.ts says why).
   */
  advectIterations: number;
  /** Interior points closer than this are merged into their midpoint (unit-square units). */
  minSegmentLength: number;
  /** Segments longer than this are split into pieces of about (min+max)/2. */
  maxSegmentLength: number;
  /**
   * Most edges accepted (not a reference parameter): 100,000 edges already make ~10M vertices
   * and seconds of work; a million would need gigabytes, so more is refused up front.
   */
  maxEdges: number;
}

export const BUNDLE_DEFAULTS: Readonly<BundleParams> = Object.freeze({
  initialBandwidth: 0.05,
  decay: 0.7,
  iterations: 4,
  batchSize: 20000,
  tension: 0.3,
  accuracy: 500,
  advectIterations: 50,
  minSegmentLength: 0.008,
  maxSegmentLength: 0.016,
  maxEdges: 250_000,
});

/** Largest accepted accuracy: four float64 grids of (4097)^2 cells are about 0.5 GB. */
export const MAX_ACCURACY = 4096;
/** Smallest accepted maxSegmentLength: bounds an edge to about 10^4 vertices per unit length. */
export const MIN_MAX_SEGMENT_LENGTH = 1e-4;

const INTEGER_KEYS = new Set<keyof BundleParams>(['iterations', 'batchSize', 'accuracy', 'advectIterations', 'maxEdges']);

function check(ok: boolean, key: keyof BundleParams, value: number, rule: string): void {
  if (!ok) throw new RangeError(`${key} must be ${rule}, got ${value}`);
}

/** Merges `params` over the defaults and validates every value; throws RangeError/TypeError naming the parameter. */
export function resolveBundleParams(params: Partial<BundleParams> = {}): BundleParams {
  if (params === null || typeof params !== 'object') throw new TypeError('params must be an object');
  for (const key of Object.keys(params)) {
    if (!(key in BUNDLE_DEFAULTS)) throw new TypeError(`unknown bundle parameter: ${key}`);
  }
  const p: BundleParams = { ...BUNDLE_DEFAULTS };
  for (const key of Object.keys(BUNDLE_DEFAULTS) as (keyof BundleParams)[]) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`${key} must be a finite number, got ${String(value)}`);
    }
    if (INTEGER_KEYS.has(key) && !Number.isInteger(value)) {
      throw new RangeError(`${key} must be an integer, got ${value}`);
    }
    p[key] = value;
  }
  check(p.initialBandwidth >= 0, 'initialBandwidth', p.initialBandwidth, '>= 0');
  check(p.decay >= 0 && p.decay <= 1, 'decay', p.decay, 'in [0, 1]');
  check(p.iterations >= 0, 'iterations', p.iterations, '>= 0');
  check(p.batchSize >= 1, 'batchSize', p.batchSize, '>= 1');
  check(p.tension >= 0 && p.tension <= 1, 'tension', p.tension, 'in [0, 1]');
  check(p.accuracy >= 1 && p.accuracy <= MAX_ACCURACY, 'accuracy', p.accuracy, `in [1, ${MAX_ACCURACY}]`);
  check(p.advectIterations >= 0, 'advectIterations', p.advectIterations, '>= 0');
  check(p.minSegmentLength >= 0, 'minSegmentLength', p.minSegmentLength, '>= 0');
  check(p.maxSegmentLength >= MIN_MAX_SEGMENT_LENGTH, 'maxSegmentLength', p.maxSegmentLength, `>= ${MIN_MAX_SEGMENT_LENGTH}`);
  check(p.maxEdges >= 1, 'maxEdges', p.maxEdges, '>= 1');
  check(p.minSegmentLength <= p.maxSegmentLength, 'minSegmentLength', p.minSegmentLength,
    `<= maxSegmentLength (${p.maxSegmentLength})`);
  return p;
}
