// The picture's legend, built from how the server draws the frames (Stats.picture, with a
// viewer's own colours and shading on the analyst page): the edge ramp (or one ramp per protocol
// layer), active hosts, and the highlight colours in use; and, on the page, a line saying how
// this viewer's frames are drawn. The ramps are the very ones the server shades with
// (shared/colormaps).
import { layerRamps, ramps, type RampName } from '../../shared/colormaps/index.js';
import type { ColorRamp } from '../../shared/colormaps/ramp.js';
import { HIGHLIGHT_COLOR, HOST_COLOR, NEW_EDGE_COLOR } from '../../shared/raster/picture.js';
import type { PictureSettings, ViewerSettings } from '../../shared/protocol.js';

const GRADIENT_STOPS = 8;

/** A CSS gradient through the ramp from its low end (as low counts are drawn) to its top. */
export function rampGradient(ramp: ColorRamp): string {
  const stops: string[] = [];
  for (let k = 0; k < GRADIENT_STOPS; k++) {
    // From an eighth up: below that, on black, is what "almost nothing" looks like.
    const at = Math.min(ramp.size - 1, Math.round((ramp.size - 1) * (0.125 + (0.875 * k) / (GRADIENT_STOPS - 1))));
    stops.push(`rgb(${ramp.rgb[3 * at]}, ${ramp.rgb[3 * at + 1]}, ${ramp.rgb[3 * at + 2]})`);
  }
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

function item(swatch: string, label: string, round = false): HTMLElement {
  const span = document.createElement('span');
  span.className = 'legend-item';
  const sw = document.createElement('span');
  sw.className = round ? 'swatch round' : 'swatch';
  sw.style.background = swatch;
  span.append(sw, document.createTextNode(label));
  return span;
}

/** Fills `root` with the legend for `p` (only when it changed: the key is kept on the element). */
export function showLegend(root: HTMLElement, p: PictureSettings): void {
  const key = JSON.stringify(p);
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  const cmap = (Object.hasOwn(ramps, p.cmap) ? p.cmap : 'fire') as RampName;
  const items: HTMLElement[] = [];
  if (p.layers) {
    for (const [proto, ramp] of Object.entries(layerRamps(cmap))) items.push(item(rampGradient(ramp), proto));
  } else {
    items.push(item(rampGradient(ramps[cmap]), `edge density (${p.how}, ${cmap})`));
  }
  items.push(item(rgb(HOST_COLOR), 'active host', true));
  if (p.newEdges) items.push(item(rgb(NEW_EDGE_COLOR), 'new in window'));
  if (p.highlight !== null) items.push(item(rgb(HIGHLIGHT_COLOR), p.highlight));
  root.replaceChildren(...items);
}

/** The short side of the whole picture's layout ranges (squareRanges): a region's zoom is this over its short side. */
const FULL_SPAN = 1.02;

/** One line saying how this viewer's frames are drawn (its own settings), and one per note from the server. */
export function showViewSummary(root: HTMLElement, settings: ViewerSettings, notes: readonly string[]): void {
  const key = JSON.stringify([settings, notes]);
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  const r = settings.region;
  const zoom = r === null ? 1 : FULL_SPAN / Math.min(r.x1 - r.x0, r.y1 - r.y0);
  const parts = [
    `last ${settings.windowSeconds} s`,
    settings.protocols.length === 0 ? 'no protocols' : settings.protocols.join(' '),
    ...(settings.minBytes > 0 ? [`edges ≥ ${settings.minBytes.toLocaleString('en-US')} B`] : []),
    ...(settings.topEdges > 0 ? [`top ${settings.topEdges} edges`] : []),
    settings.layout, settings.mode, settings.aggregate === 'bytes' ? 'sum of bytes' : 'edge count',
    ...(settings.antialias ? ['antialiased'] : []),
    `every ${settings.rebundleSeconds} s`,
    r === null ? 'whole picture' : `zoom ${zoom.toFixed(1)}× at (${((r.x0 + r.x1) / 2).toFixed(3)}, ${((r.y0 + r.y1) / 2).toFixed(3)})`,
    ...(settings.highlight !== null ? [`highlighting ${settings.highlight}`] : []),
  ];
  const line = document.createElement('span');
  line.className = 'view-line';
  line.textContent = `your picture: ${parts.join(' · ')}`;
  const warnings = notes.map((n) => {
    const w = document.createElement('span');
    w.className = 'view-note';
    w.textContent = n;
    return w;
  });
  root.dataset.zoom = zoom.toFixed(2);
  root.replaceChildren(line, ...warnings);
}
