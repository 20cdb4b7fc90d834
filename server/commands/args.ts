// Argument helpers shared by the commands: one error type for bad usage, number parsing,
// and the picture options every drawing command takes.
import { ramps, type RampName } from '../../shared/colormaps/index.js';
import { parseIPv4, parseIPv6 } from '../../shared/graph/hosts.js';
import { PICTURE_LAYOUTS, type EdgeMode, type HostDots, type PictureAggregate, type PictureLayout, type ShadeHow } from '../pipeline/graph-picture.js';

/** Bad command-line usage: printed with the usage text, exit status 2. */
export class UsageError extends Error {}

export function nonNegativeNumber(name: string, text: string | undefined, fallback: number, integer = false): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be a ${integer ? 'non-negative integer' : 'non-negative number'}, got "${text}"`);
  }
  return v;
}

export const PICTURE_OPTIONS = {
  size: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' },
  how: { type: 'string' }, mode: { type: 'string' }, bundle: { type: 'boolean' }, 'no-bundle': { type: 'boolean' },
  cmap: { type: 'string' }, background: { type: 'string' }, layers: { type: 'boolean' }, layout: { type: 'string' },
  dots: { type: 'string' }, highlight: { type: 'string' }, sum: { type: 'string' }, antialias: { type: 'boolean' },
} as const;

export interface PictureOptions {
  width: number;
  height: number;
  how: ShadeHow;
  mode: EdgeMode;
  bundle: boolean;
  cmap: RampName;
  /** '#rrggbb'. */
  background: string;
  layers: boolean;
  layout: PictureLayout;
  hostDots: HostDots;
  /** The address of the host to highlight (its edges and a ring round its dot), or null. */
  highlight: string | null;
  /** What a pixel sums: edges through it, or their bytes. */
  aggregate: PictureAggregate;
  /** Antialiased lines (mode lines only). */
  antialias: boolean;
}

export interface PictureValues {
  size?: string; width?: string; height?: string; how?: string; mode?: string; bundle?: boolean; 'no-bundle'?: boolean;
  cmap?: string; background?: string; layers?: boolean; layout?: string; dots?: string; highlight?: string;
  sum?: string; antialias?: boolean;
}

/** The integer `text` (`fallback` when absent), which must lie in min..max. */
export function integerIn(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return v;
}

/** Picture sides, in pixels. */
const MIN_SIDE = 16, MAX_SIDE = 16384;

export function pictureOptions(v: PictureValues, defaultSize: number): PictureOptions {
  const size = integerIn('size', v.size, defaultSize, MIN_SIDE, MAX_SIDE);
  const width = integerIn('width', v.width, size, MIN_SIDE, MAX_SIDE);
  const height = integerIn('height', v.height, size, MIN_SIDE, MAX_SIDE);
  const how = (v.how ?? 'eq_hist') as ShadeHow;
  if (!['eq_hist', 'log', 'linear', 'cbrt'].includes(how)) throw new UsageError(`--how must be eq_hist, log, linear or cbrt, got "${v.how}"`);
  const layout = (v.layout ?? 'circular') as PictureLayout;
  if (!PICTURE_LAYOUTS.includes(layout)) throw new UsageError(`--layout must be ${PICTURE_LAYOUTS.join(', ')}, got "${v.layout}"`);
  if (v.bundle && v['no-bundle']) throw new UsageError('--bundle and --no-bundle contradict each other');
  // The reference bundles the circle and draws the other layouts with straight edges.
  const bundle = v.bundle ?? (v['no-bundle'] ? false : layout === 'circular');
  // Straight edges as points would be only their end points, under the host dots: lines then.
  const mode = (v.mode ?? (bundle ? 'points' : 'lines')) as EdgeMode;
  if (!['points', 'lines'].includes(mode)) throw new UsageError(`--mode must be points or lines, got "${v.mode}"`);
  const cmap = (v.cmap ?? 'fire') as RampName;
  if (!Object.hasOwn(ramps, cmap)) throw new UsageError(`--cmap must be one of ${Object.keys(ramps).join(', ')}, got "${v.cmap}"`);
  const background = v.background ?? '#000000';
  if (!/^#[0-9a-f]{6}$/i.test(background)) throw new UsageError(`--background must be a colour as #rrggbb, got "${v.background}"`);
  const hostDots = (v.dots ?? 'fixed') as HostDots;
  if (hostDots !== 'fixed' && hostDots !== 'traffic') throw new UsageError(`--dots must be fixed or traffic, got "${v.dots}"`);
  const highlight = v.highlight ?? null;
  if (highlight !== null && parseIPv4(highlight) < 0 && !parseIPv6(highlight, new Uint32Array(4))) {
    throw new UsageError(`--highlight must be an IPv4 or IPv6 address, got "${highlight}"`);
  }
  const aggregate = ({ edges: 'count', bytes: 'bytes' } as const)[(v.sum ?? 'edges') as 'edges' | 'bytes'] as PictureAggregate | undefined;
  if (aggregate === undefined) throw new UsageError(`--sum must be edges or bytes, got "${v.sum}"`);
  if (v.antialias && mode !== 'lines') {
    throw new UsageError(v.mode === undefined
      ? '--antialias draws lines: use it with --mode lines (or --no-bundle)'
      : '--antialias draws lines: it does not go with --mode points');
  }
  return {
    width, height, how, mode, bundle, cmap, background, layers: Boolean(v.layers), layout, hostDots, highlight,
    aggregate, antialias: Boolean(v.antialias),
  };
}
