// A float aggregate (weighted sums, antialiased coverage) as integer levels, which the count
// shading (shade.ts) then colours: 16-bit levels, so the palette path and its look-up tables
// serve floats as they serve counts.
import { EQ_HIST_BINS } from './eq-hist.js';
import type { ShadeHow } from './shade.js';

/** Levels run 1..MAX_LEVEL (0: empty), below EQ_HIST_BINS: shading colours them by table. */
export const MAX_LEVEL = EQ_HIST_BINS - 1;

/**
 * How the count shading draws levels made for `how`: eq_hist ranks them (over 65,535 levels,
 * as datashader bins floats into 65,536 for eq_hist); the transforms are already in the levels,
 * which linear shading then places on the ramp as they are.
 */
export function levelsHow(how: ShadeHow): ShadeHow {
  return how === 'eq_hist' ? 'eq_hist' : 'linear';
}

/**
 * Lists the cells of `agg` above 0, ascending, in `cells`, and their levels in `levels` (both
 * with room for every cell); returns how many. A cell's level is its value less the smallest
 * listed, transformed as shading transforms counts (log1p for 'log', cube root for 'cbrt', as it
 * is otherwise), scaled so the largest is MAX_LEVEL and 0 is level 1.
 */
export function quantiseLevels(agg: Float64Array | Float32Array, how: ShadeHow, cells: Int32Array, levels: Uint32Array): number {
  if (cells.length < agg.length || levels.length < agg.length) throw new RangeError(`cells and levels need room for all ${agg.length} cells`);
  let n = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < agg.length; i++) {
    const v = agg[i];
    if (!(v > 0)) continue;
    cells[n++] = i;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const top = transform(how, max - min);
  const scale = top > 0 ? (MAX_LEVEL - 1) / top : 0;
  for (let k = 0; k < n; k++) levels[k] = 1 + Math.round(transform(how, agg[cells[k]] - min) * scale);
  return n;
}

function transform(how: ShadeHow, v: number): number {
  if (how === 'log') return Math.log1p(v);
  if (how === 'cbrt') return Math.cbrt(v);
  return v;
}
