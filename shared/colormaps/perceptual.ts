// Perceptually uniform ramps (matplotlib's viridis, inferno, magma, plasma and cividis, as
// d3-scale-chromatic provides them), each sampled at 256 stops, and one categorical map
// (Tableau 10) for colouring categories such as protocols.
import { interpolateCividis, interpolateInferno, interpolateMagma, interpolatePlasma, interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';
import { rampFromHex, type ColorRamp } from './ramp.js';

const STOPS = 256;

function sampled(name: string, interpolate: (t: number) => string): ColorRamp {
  const hexes: string[] = [];
  for (let i = 0; i < STOPS; i++) hexes.push(rgb(interpolate(i / (STOPS - 1))).formatHex());
  return rampFromHex(name, hexes);
}

export const viridis = sampled('viridis', interpolateViridis);
export const inferno = sampled('inferno', interpolateInferno);
export const magma = sampled('magma', interpolateMagma);
export const plasma = sampled('plasma', interpolatePlasma);
export const cividis = sampled('cividis', interpolateCividis);

/** Distinct colours for up to ten categories, as a ramp whose stops are the categories. */
export const tableau10: ColorRamp = rampFromHex('tableau10', schemeTableau10);
