// uPlot charts over capture time, redrawn once a second from the history the server sends.
import uPlot from 'uplot';
import type { RateSample } from '../../shared/protocol.js';
import { PROTO_NAMES } from '../../shared/records.js';

/** Series colours: the total, then tcp, udp, icmp, other. */
const PROTO_STROKES = ['#ff8c1a', '#4cc3ff', '#59a14f', '#bab0ab'];
const HISTORY_SECONDS = 3600;

function chart(el: HTMLElement, series: { label: string; stroke: string; fill?: boolean }[]): uPlot {
  const opts: uPlot.Options = {
    width: el.clientWidth || 300,
    height: el.clientHeight || 150,
    legend: { show: false },
    cursor: { show: true, drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [
      { stroke: '#8a8a93', grid: { stroke: '#222' }, ticks: { stroke: '#333' } },
      { stroke: '#8a8a93', grid: { stroke: '#222' }, ticks: { stroke: '#333' }, size: 60, values: (_u, vals) => vals.map(si) },
    ],
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, fill: s.fill ? s.stroke + '33' : undefined, width: 1.5, points: { show: false } }))],
  };
  const u = new uPlot(opts, [[], ...series.map(() => [])], el);
  new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: el.clientHeight })).observe(el);
  return u;
}

/** 1234567 -> "1.23M". */
export function si(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(a >= 1e10 ? 0 : 2) + 'G';
  if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 2) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + 'k';
  return String(Math.round(v));
}

/**
 * The page's charts over up to an hour of capture time: bytes/s and packets/s in all and per
 * protocol, hosts and edges in the window, and new hosts per second. The server sends the
 * last minutes each second; the history is merged here by capture second. Each update is a
 * User Timing measure (`netshade:charts`, seen in the browser's performance panel and by the
 * tests), and the bytes chart's element carries the seconds of history it shows
 * (`data-seconds`).
 */
export class RateCharts {
  private readonly bytesEl: HTMLElement;
  private readonly bytes: uPlot;
  private readonly packets: uPlot;
  private readonly window: uPlot | null;
  private readonly newHosts: uPlot | null;
  private readonly history = new Map<number, RateSample>();
  private readonly windowHistory = new Map<number, [number, number]>();

  constructor(bytesEl: HTMLElement, packetsEl: HTMLElement, windowEl?: HTMLElement, newHostsEl?: HTMLElement) {
    const perProto = (total: string) => [
      { label: total, stroke: '#e8e6e3' },
      ...PROTO_NAMES.map((name, i) => ({ label: name, stroke: PROTO_STROKES[i], fill: i === 0 })),
    ];
    this.bytesEl = bytesEl;
    this.bytes = chart(bytesEl, perProto('bytes/s'));
    this.packets = chart(packetsEl, perProto('packets/s'));
    this.window = windowEl ? chart(windowEl, [{ label: 'hosts', stroke: '#ffb454' }, { label: 'edges', stroke: '#4cc3ff' }]) : null;
    this.newHosts = newHostsEl ? chart(newHostsEl, [{ label: 'new hosts/s', stroke: '#e15759', fill: true }]) : null;
  }

  /** Starts afresh (a seek or a new loop pass moves capture time back). */
  clear(): void {
    this.history.clear();
    this.windowHistory.clear();
  }

  update(samples: RateSample[], windowCounts?: { t: number; hosts: number; edges: number }): void {
    const started = performance.now();
    if (samples.length > 0 && this.history.size > 0 && samples[samples.length - 1].t < Math.max(...this.history.keys()) - 1) this.clear();
    for (const s of samples) this.history.set(s.t, s);
    if (windowCounts) this.windowHistory.set(windowCounts.t, [windowCounts.hosts, windowCounts.edges]);
    trim(this.history); trim(this.windowHistory);
    const rows = [...this.history.values()].sort((a, b) => a.t - b.t);
    const t = rows.map((r) => r.t);
    const column = (get: (r: RateSample) => number) => rows.map(get);
    this.bytes.setData([t, column((r) => r.bytes), ...PROTO_NAMES.map((_, p) => column((r) => r.protoBytes?.[p] ?? 0))]);
    this.packets.setData([t, column((r) => r.packets), ...PROTO_NAMES.map((_, p) => column((r) => r.protoPackets?.[p] ?? 0))]);
    this.newHosts?.setData([t, column((r) => r.newHosts ?? 0)]);
    if (this.window) {
      const w = [...this.windowHistory.entries()].sort((a, b) => a[0] - b[0]);
      this.window.setData([w.map((e) => e[0]), w.map((e) => e[1][0]), w.map((e) => e[1][1])]);
    }
    this.bytesEl.dataset.seconds = String(t.length === 0 ? 0 : t[t.length - 1] - t[0] + 1);
    // uPlot draws in a microtask queued by setData: measured after it.
    queueMicrotask(() => performance.measure('netshade:charts', { start: started }));
  }
}

/** Keeps the newest HISTORY_SECONDS keys. */
function trim<T>(m: Map<number, T>): void {
  if (m.size <= HISTORY_SECONDS) return;
  const keys = [...m.keys()].sort((a, b) => a - b);
  for (let i = 0; i < keys.length - HISTORY_SECONDS; i++) m.delete(keys[i]);
}
