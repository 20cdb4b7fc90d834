// Every ramp by name: a new ramp is one data file plus one line here.
import type { ColorRamp } from './ramp.js';
import { fire } from './fire.js';
import { blues, cividis, greens, greys, inferno, magma, plasma, tableau10, viridis } from './perceptual.js';
import type { PROTO_NAMES } from '../records.js';

/** Ramps for densities (fire first, as datashader's examples use it). */
export const ramps = { fire, viridis, inferno, magma, plasma, cividis } as const satisfies Record<string, ColorRamp>;
/** Colours for categories (a stop each), not interpolated. */
export const categorical = { tableau10 } as const satisfies Record<string, ColorRamp>;
export type RampName = keyof typeof ramps;

export function rampByName(name: string): ColorRamp {
  if (!Object.hasOwn(ramps, name)) throw new RangeError(`unknown colour ramp ${JSON.stringify(name)} (have: ${Object.keys(ramps).join(', ')})`);
  return ramps[name as RampName];
}

export type ProtoName = (typeof PROTO_NAMES)[number];

/**
 * The ramp of each protocol's layer in a picture drawn in layers (one aggregate per protocol,
 * drawn in protocol code order, tcp at the bottom): hues apart, each dark to light. tcp's
 * layer takes the picture's cmap, fire unless chosen otherwise: see layerRamps.
 */
export const LAYER_RAMPS: Readonly<Record<ProtoName, ColorRamp>> = Object.freeze({ tcp: fire, udp: blues, icmp: greens, other: greys });

/** The layer ramps of a picture whose cmap is `cmap` (what its legend shows). */
export function layerRamps(cmap: RampName): Readonly<Record<ProtoName, ColorRamp>> {
  return Object.freeze({ ...LAYER_RAMPS, tcp: rampByName(cmap) });
}
