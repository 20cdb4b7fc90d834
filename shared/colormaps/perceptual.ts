// Perceptually uniform ramps (matplotlib's viridis, inferno, magma, plasma and cividis, as
// d3-scale-chromatic provides them), each sampled at 256 stops; single-hue ramps (ColorBrewer's
// Blues, Greens, Greys, run dark to light so that, like fire, density brightens on a dark
// background) for the per-protocol layers; and one categorical map (Tableau 10) for colouring
// categories such as protocols.
import {
  interpolateBlues, interpolateCividis, interpolateGreens, interpolateGreys, interpolateInferno, interpolateMagma,
  interpolatePlasma, interpolateViridis, schemeTableau10,
} from 'd3-scale-chromatic';
import { rgb } from 'd3-color';
import { rampFromHex, type ColorRamp } from './ramp.js';

const STOPS = 256;

/** The ramp of `interpolate` from t = from to t = to (either way round), at STOPS stops. */
function sampled(name: string, interpolate: (t: number) => string, from = 0, to = 1): ColorRamp {
  const hexes: string[] = [];
  for (let i = 0; i < STOPS; i++) hexes.push(rgb(interpolate(from + ((to - from) * i) / (STOPS - 1))).formatHex());
  return rampFromHex(name, hexes);
}

export const viridis = sampled('viridis', interpolateViridis);
export const inferno = sampled('inferno', interpolateInferno);
export const magma = sampled('magma', interpolateMagma);
export const plasma = sampled('plasma', interpolatePlasma);
export const cividis = sampled('cividis', interpolateCividis);
// ColorBrewer's ramps end in near-white, where hues can no longer be told apart: the lightest
// 15% is left out. Greys' darkest 20% is near-black, invisible on black: left out too.
export const blues = sampled('blues', interpolateBlues, 1, 0.15);
export const greens = sampled('greens', interpolateGreens, 1, 0.15);
export const greys = sampled('greys', interpolateGreys, 0.8, 0.1);

/** Distinct colours for up to ten categories, as a ramp whose stops are the categories. */
export const tableau10: ColorRamp = rampFromHex('tableau10', schemeTableau10);
