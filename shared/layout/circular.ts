// Circular layout: nodes in table order around a circle, as the reference recipe draws them.
// Ordering hosts by numeric address puts each subnet on one arc, which is what makes the
// bundled picture readable.

/**
 * Places node i at angle 2*pi*i/n on the circle of radius 0.5 centred at (0.5, 0.5).
 * Returns x,y interleaved (length 2n), written into `out` when given (its length must be 2n).
 * The angle is computed per index, not by stepping a float range: a range of n steps can
 * yield n+1 values (the reference fails that way for n = 61).
 */
export function circularLayout(n: number, out?: Float64Array): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (out !== undefined && !(out instanceof Float64Array)) throw new TypeError('out must be a Float64Array');
  if (out !== undefined && out.length !== 2 * n) {
    throw new RangeError(`out must have length 2*n = ${2 * n}, got ${out.length}`);
  }
  const xy = out ?? new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const angle = (i * 2 * Math.PI) / n;
    xy[2 * i] = 0.5 + 0.5 * Math.cos(angle);
    xy[2 * i + 1] = 0.5 + 0.5 * Math.sin(angle);
  }
  return xy;
}
