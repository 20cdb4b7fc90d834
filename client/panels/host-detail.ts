// One host's panel (opened by clicking it, on the picture or in a table): bytes and packets in
// and out, its own uPlot time series of bytes per second each way, its busiest peers and its
// ports. Refreshed each second while open; a click on a peer opens that peer. `onShown` hears
// which host it shows (the picture rings it).
import uPlot from 'uplot';
import type { HostDetailReply } from '../../shared/protocol.js';
import { si } from '../charts/rate-charts.js';
import { cell, hostCell, row } from './talkers.js';

const TOP = 8;

export class HostDetailPanel {
  private address: string | null = null;
  private chart: uPlot | null = null;
  private busy = false;

  constructor(
    private readonly root: HTMLElement, private readonly onMissing: (address: string) => void,
    private readonly onShown: (address: string | null) => void,
  ) {
    root.querySelector('.close')?.addEventListener('click', () => this.close());
    root.addEventListener('click', (e) => {
      const address = (e.target as HTMLElement).closest<HTMLElement>('[data-address]')?.dataset.address;
      if (address) void this.open(address);
    });
  }

  get current(): string | null {
    return this.address;
  }

  async open(address: string): Promise<void> {
    this.address = address;
    this.root.hidden = false;
    this.onShown(address);
    await this.refresh();
  }

  close(): void {
    this.address = null;
    this.root.hidden = true;
    this.onShown(null);
  }

  async refresh(): Promise<void> {
    const address = this.address;
    if (address === null || this.busy) return;
    this.busy = true;
    try {
      const res = await fetch(`/api/host/${encodeURIComponent(address)}?top=${TOP}`);
      if (this.address !== address) return;
      if (!res.ok) { this.onMissing(address); this.close(); return; }
      this.show((await res.json()) as HostDetailReply);
    } finally {
      this.busy = false;
    }
  }

  private show(d: HostDetailReply): void {
    const q = <T extends HTMLElement>(sel: string) => this.root.querySelector(sel) as T;
    q('.address').textContent = d.address;
    q('.bytes-out').textContent = `${si(d.bytesOut)}B`;
    q('.bytes-in').textContent = `${si(d.bytesIn)}B`;
    q('.packets-out').textContent = d.packetsOut.toLocaleString('en-US');
    q('.packets-in').textContent = d.packetsIn.toLocaleString('en-US');
    q<HTMLTableSectionElement>('.peers').replaceChildren(...d.peers.map((p) => row([hostCell(p.address), cell(si(p.bytes) + 'B'), cell(p.packets.toLocaleString('en-US'))])));
    const ports = (list: HostDetailReply['localPorts']) => list.map((p) => row([cell(`${p.port}/${p.protocol}`), cell(si(p.bytes) + 'B')]));
    q<HTMLTableSectionElement>('.local-ports').replaceChildren(...ports(d.localPorts));
    q<HTMLTableSectionElement>('.remote-ports').replaceChildren(...ports(d.remotePorts));
    const n = d.bytesOutPerSecond.length;
    const xs = Float64Array.from({ length: n }, (_, i) => d.seriesStart + i);
    const data: uPlot.AlignedData = [xs, Float64Array.from(d.bytesOutPerSecond), Float64Array.from(d.bytesInPerSecond)];
    const box = q('.series');
    if (this.chart === null) {
      this.chart = new uPlot({
        width: Math.max(200, box.clientWidth), height: 120, legend: { show: false },
        axes: [{ stroke: '#8a8a93' }, { stroke: '#8a8a93', values: (_u, v) => v.map((x) => si(x)) }],
        series: [{}, { stroke: '#ff8c1a', label: 'out' }, { stroke: '#4e79a7', label: 'in' }],
      }, data, box);
    } else this.chart.setData(data);
  }
}
