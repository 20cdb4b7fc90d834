// Every ramp by name: a new ramp is one data file plus one line here.
import type { ColorRamp } from './ramp.js';
import { fire } from './fire.js';
import { cividis, inferno, magma, plasma, tableau10, viridis } from './perceptual.js';

/** Ramps for densities (fire first, as datashader's examples use it). */
export const ramps = { fire, viridis, inferno, magma, plasma, cividis } as const satisfies Record<string, ColorRamp>;
/** Colours for categories (a stop each), not interpolated. */
export const categorical = { tableau10 } as const satisfies Record<string, ColorRamp>;
export type RampName = keyof typeof ramps;

export function rampByName(name: string): ColorRamp {
  if (!Object.hasOwn(ramps, name)) throw new RangeError(`unknown colour ramp ${JSON.stringify(name)} (have: ${Object.keys(ramps).join(', ')})`);
  return ramps[name as RampName];
}
