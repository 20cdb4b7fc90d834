// Random layout, the reference recipe's baseline: each node at a uniform point of the unit
// square. The random source is passed in (a seeded one gives the same picture every run).

/** x,y interleaved (length 2n) from `random` (values in [0, 1)). */
export function randomLayout(n: number, random: () => number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (typeof random !== 'function') throw new TypeError('random must be a function returning numbers in [0, 1)');
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    const v = random();
    if (!(v >= 0 && v < 1)) throw new RangeError(`random must return numbers in [0, 1), got ${v}`);
    xy[i] = v;
  }
  return xy;
}
