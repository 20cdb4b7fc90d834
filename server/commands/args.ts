// Argument helpers shared by the commands: one error type for bad usage, number parsing,
// and the picture options every drawing command takes.
import type { EdgeMode, ShadeHow } from '../pipeline/graph-picture.js';

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
  how: { type: 'string' }, mode: { type: 'string' }, 'no-bundle': { type: 'boolean' },
} as const;

export interface PictureOptions {
  width: number;
  height: number;
  how: ShadeHow;
  mode: EdgeMode;
  bundle: boolean;
}

export function pictureOptions(v: { size?: string; width?: string; height?: string; how?: string; mode?: string; 'no-bundle'?: boolean }, defaultSize: number): PictureOptions {
  const size = nonNegativeNumber('size', v.size, defaultSize, true);
  const width = nonNegativeNumber('width', v.width, size, true);
  const height = nonNegativeNumber('height', v.height, size, true);
  if (width < 16 || height < 16 || width > 16384 || height > 16384) throw new UsageError('picture size must be 16..16384 pixels a side');
  const how = (v.how ?? 'eq_hist') as ShadeHow;
  if (!['eq_hist', 'log', 'linear', 'cbrt'].includes(how)) throw new UsageError(`--how must be eq_hist, log, linear or cbrt, got "${v.how}"`);
  // Straight edges as points would be only their end points, under the host dots: lines then.
  const mode = (v.mode ?? (v['no-bundle'] ? 'lines' : 'points')) as EdgeMode;
  if (!['points', 'lines'].includes(mode)) throw new UsageError(`--mode must be points or lines, got "${v.mode}"`);
  return { width, height, how, mode, bundle: !v['no-bundle'] };
}
