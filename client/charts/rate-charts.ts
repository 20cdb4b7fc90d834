// uPlot charts of bytes/s and packets/s over capture time, redrawn from the columnar
// history the server sends once a second.
import uPlot from 'uplot';
import type { RateSample } from '../../shared/protocol.js';

function chart(el: HTMLElement, label: string, stroke: string): uPlot {
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
    series: [{}, { label, stroke, fill: stroke + '33', width: 1.5, points: { show: false } }],
  };
  const u = new uPlot(opts, [[], []], el);
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

export class RateCharts {
  private readonly bytes: uPlot;
  private readonly packets: uPlot;
  private t = new Float64Array(0);
  private b = new Float64Array(0);
  private p = new Float64Array(0);

  constructor(bytesEl: HTMLElement, packetsEl: HTMLElement) {
    this.bytes = chart(bytesEl, 'bytes/s', '#ff8c1a');
    this.packets = chart(packetsEl, 'packets/s', '#4cc3ff');
  }

  update(samples: RateSample[]): void {
    const n = samples.length;
    if (this.t.length !== n) { this.t = new Float64Array(n); this.b = new Float64Array(n); this.p = new Float64Array(n); }
    for (let i = 0; i < n; i++) { this.t[i] = samples[i].t; this.b[i] = samples[i].bytes; this.p[i] = samples[i].packets; }
    this.bytes.setData([Array.from(this.t), Array.from(this.b)]);
    this.packets.setData([Array.from(this.t), Array.from(this.p)]);
  }
}
