// Per-viewer picture settings on the server: the server's own (what a viewer has until it asks
// for others, and what the wall shows), what a viewer's request comes to, and the keys that
// group viewers: equal view keys share one render; equal graph keys share the placing and
// bundling (window, protocols, minimum bytes, top N, layout: what decides which edges are laid
// out), while the rest (colormap, shading, edge mode, aggregation, antialiasing, zoom region,
// highlighted host, size) only changes rasterising.
import { PROTO_NAMES, PROTO_COUNT } from '../../shared/records.js';
import { canonicalAddress, type ViewAggregate, type ViewerSettings } from '../../shared/protocol.js';
import type { RampName } from '../../shared/colormaps/index.js';
import type { PictureLayout } from '../../shared/layout/names.js';
import type { ShadeHow } from '../../shared/raster/shade.js';
import type { EdgeMode } from '../../shared/raster/picture.js';

/** The server's own settings: its window, re-bundle interval and picture options (its --highlight too), every protocol, no filters, no zoom. */
export function serverViewSettings(o: {
  windowSeconds: number; rebundleMs: number; how: ShadeHow; mode: EdgeMode; cmap?: RampName; layout?: PictureLayout;
  aggregate?: ViewAggregate; antialias?: boolean; highlight?: string | null;
}): ViewerSettings {
  return {
    windowSeconds: o.windowSeconds, protocols: [...PROTO_NAMES], minBytes: 0, topEdges: 0, layout: o.layout ?? 'circular',
    cmap: o.cmap ?? 'fire', how: o.how, mode: o.mode, aggregate: o.aggregate ?? 'count', antialias: o.antialias ?? false,
    rebundleSeconds: o.rebundleMs / 1000, region: null,
    highlight: o.highlight ? canonicalAddress(o.highlight) : null,
  };
}

/** A viewer's settings as the server draws them, why they differ from what was asked, and their keys. */
export interface AppliedSettings {
  settings: ViewerSettings;
  notes: string[];
  /** Equal for settings drawn as one picture. */
  key: string;
  /** Equal for settings whose pictures place and bundle the same edges. */
  graphKey: string;
}

/** The shortest re-bundle interval a viewer gets, unless the server's own is shorter. */
export const MIN_VIEWER_REBUNDLE_S = 0.25;

/**
 * `asked` (a validated settings message, or several merged) over the server's settings: a window
 * longer than the server keeps is clamped to it, a re-bundle interval shorter than
 * MIN_VIEWER_REBUNDLE_S (or the server's, if shorter) raised to it, and antialiasing dropped
 * where it draws nothing (points), each with a note.
 */
export function applySettings(server: ViewerSettings, asked: Partial<ViewerSettings>): AppliedSettings {
  const settings: ViewerSettings = { ...server, ...asked };
  const notes: string[] = [];
  if (settings.windowSeconds > server.windowSeconds) {
    notes.push(`window ${settings.windowSeconds} s asked: the server keeps ${server.windowSeconds} s, so ${server.windowSeconds} s are drawn`);
    settings.windowSeconds = server.windowSeconds;
  }
  const fastest = Math.min(server.rebundleSeconds, MIN_VIEWER_REBUNDLE_S);
  if (settings.rebundleSeconds < fastest) {
    notes.push(`a picture every ${settings.rebundleSeconds} s asked: at most one every ${fastest} s`);
    settings.rebundleSeconds = fastest;
  }
  if (settings.antialias && settings.mode !== 'lines') {
    notes.push('antialiasing draws lines: off while edges are drawn as points');
    settings.antialias = false;
  }
  return { settings, notes, key: viewKey(settings), graphKey: graphKey(settings) };
}

export function graphKey(s: ViewerSettings): string {
  return JSON.stringify([s.windowSeconds, s.protocols, s.minBytes, s.topEdges, s.layout]);
}

export function viewKey(s: ViewerSettings): string {
  const r = s.region;
  return JSON.stringify([graphKey(s), s.cmap, s.how, s.mode, s.aggregate, s.antialias, s.rebundleSeconds, r && [r.x0, r.y0, r.x1, r.y1], s.highlight]);
}

/** Bit p set for each protocol code p the settings draw. */
export function protocolMask(protocols: readonly string[]): number {
  let mask = 0;
  for (let p = 0; p < PROTO_COUNT; p++) if (protocols.includes(PROTO_NAMES[p])) mask |= 1 << p;
  return mask;
}
