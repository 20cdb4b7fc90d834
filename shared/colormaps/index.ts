// Every ramp by name: a new ramp is one data file plus one line here.
import type { ColorRamp } from './ramp.js';
import { fire } from './fire.js';

export const ramps = { fire } as const satisfies Record<string, ColorRamp>;
export type RampName = keyof typeof ramps;

export function rampByName(name: string): ColorRamp {
  if (!Object.hasOwn(ramps, name)) throw new RangeError(`unknown colour ramp ${JSON.stringify(name)} (have: ${Object.keys(ramps).join(', ')})`);
  return ramps[name as RampName];
}
