// Top talkers, refreshed each second: the window's busiest hosts and host pairs by bytes (as
// ntopng and Wireshark's conversations list them). Clicking a host asks for its detail.
import type { TalkersReply } from '../../shared/protocol.js';
import { si } from '../charts/rate-charts.js';

const TOP = 10;

export class TalkersPanel {
  private busy = false;

  constructor(
    private readonly hostsBody: HTMLTableSectionElement,
    private readonly pairsBody: HTMLTableSectionElement,
    private readonly onHost: (address: string) => void,
  ) {
    for (const body of [hostsBody, pairsBody]) {
      body.addEventListener('click', (e) => {
        const address = (e.target as HTMLElement).closest<HTMLElement>('[data-address]')?.dataset.address;
        if (address) this.onHost(address);
      });
    }
  }

  /** Fetches and shows the current top talkers (skipped while a fetch is still out). */
  async refresh(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await fetch(`/api/talkers?top=${TOP}`);
      if (!res.ok) return;
      const t = (await res.json()) as TalkersReply;
      this.hostsBody.replaceChildren(...t.hosts.map((h) => row([hostCell(h.address), cell(si(h.bytes) + 'B'), cell(h.packets.toLocaleString('en-US'))])));
      this.pairsBody.replaceChildren(...t.pairs.map((p) => row([hostCell(p.a), hostCell(p.b), cell(si(p.bytes) + 'B')])));
    } finally {
      this.busy = false;
    }
  }
}

export function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

/** A clickable address. */
export function hostCell(address: string): HTMLTableCellElement {
  const td = cell(address);
  td.dataset.address = address;
  td.className = 'host';
  td.title = `details of ${address}`;
  return td;
}

export function row(cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}
