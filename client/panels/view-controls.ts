// This viewer's picture settings: window, protocols, edge filters, colours, shading, layout,
// edge mode, aggregation, antialiasing, re-bundle interval. They change this viewer's picture
// only (the server draws each viewer's settings, equal ones once), unlike the replay controls,
// which act on the capture clock every viewer shares.
import { ramps } from '../../shared/colormaps/index.js';
import { PICTURE_LAYOUTS } from '../../shared/layout/names.js';
import { SHADE_HOWS } from '../../shared/raster/shade.js';
import { PROTO_NAMES } from '../../shared/records.js';
import { EDGE_MODES, VIEW_AGGREGATES, type ViewerSettings } from '../../shared/protocol.js';
import { si } from '../charts/rate-charts.js';

const WINDOWS_S = [10, 30, 60, 120, 300, 600];
const MIN_BYTES = [0, 1e3, 1e4, 1e5, 1e6, 1e7];
const TOP_EDGES = [0, 10, 50, 100, 500, 1000, 5000];
const REBUNDLE_S = [0.5, 1, 2, 5, 10];

export function windowText(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

type SelectField = 'windowSeconds' | 'minBytes' | 'topEdges' | 'cmap' | 'how' | 'layout' | 'mode' | 'aggregate' | 'rebundleSeconds';

export class ViewControls {
  private started = false;
  private readonly selects: Record<SelectField, HTMLSelectElement>;
  private readonly protocols: HTMLInputElement[];
  private readonly antialias: HTMLInputElement;

  constructor(root: HTMLElement, private readonly onChange: (settings: Partial<ViewerSettings>) => void) {
    const q = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T;
    this.selects = {
      windowSeconds: q('#v-window'), minBytes: q('#v-min-bytes'), topEdges: q('#v-top'), cmap: q('#v-cmap'), how: q('#v-how'),
      layout: q('#v-layout'), mode: q('#v-mode'), aggregate: q('#v-aggregate'), rebundleSeconds: q('#v-rebundle'),
    };
    this.protocols = [...root.querySelectorAll<HTMLInputElement>('input[data-proto]')];
    this.antialias = q('#v-antialias');
    for (const [field, select] of Object.entries(this.selects) as [SelectField, HTMLSelectElement][]) {
      const numeric = field === 'windowSeconds' || field === 'minBytes' || field === 'topEdges' || field === 'rebundleSeconds';
      select.addEventListener('change', () => {
        if (field === 'mode') this.antialias.disabled = select.value !== 'lines';
        this.onChange({ [field]: numeric ? Number(select.value) : select.value });
      });
    }
    for (const box of this.protocols) {
      box.addEventListener('change', () => this.onChange({ protocols: PROTO_NAMES.filter((p) => this.protocols.find((b) => b.dataset.proto === p)?.checked) }));
    }
    this.antialias.addEventListener('change', () => this.onChange({ antialias: this.antialias.checked }));
  }

  /** Fills the controls with the server's settings, the first time only (after a reconnect the viewer's own choices stay). */
  start(defaults: ViewerSettings): void {
    if (this.started) return;
    this.started = true;
    const s = this.selects;
    fill(s.windowSeconds, WINDOWS_S, defaults.windowSeconds, windowText);
    fill(s.minBytes, MIN_BYTES, defaults.minBytes, (b) => (b === 0 ? 'any' : `${si(b)}B`));
    fill(s.topEdges, TOP_EDGES, defaults.topEdges, (n) => (n === 0 ? 'all' : String(n)));
    fill(s.cmap, Object.keys(ramps), defaults.cmap, String);
    fill(s.how, SHADE_HOWS, defaults.how, String);
    fill(s.layout, PICTURE_LAYOUTS, defaults.layout, String);
    fill(s.mode, EDGE_MODES, defaults.mode, String);
    fill(s.aggregate, VIEW_AGGREGATES, defaults.aggregate, (a) => (a === 'count' ? 'edges' : 'bytes'));
    fill(s.rebundleSeconds, REBUNDLE_S, defaults.rebundleSeconds, (r) => `${r} s`);
    for (const box of this.protocols) box.checked = defaults.protocols.includes(box.dataset.proto as never);
    this.antialias.checked = defaults.antialias;
    this.antialias.disabled = defaults.mode !== 'lines';
  }
}

/** Options for `values` (and `selected`, where the list lacks it), `selected` chosen. */
function fill<T extends string | number>(select: HTMLSelectElement, values: readonly T[], selected: T, label: (v: T) => string): void {
  const all = values.includes(selected) ? [...values] : [...values, selected];
  if (typeof selected === 'number') (all as number[]).sort((a, b) => a - b);
  select.replaceChildren(...all.map((v) => new Option(label(v), String(v), v === selected, v === selected)));
}
