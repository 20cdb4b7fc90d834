// The tooltip of the host under the pointer, as Arkime's connection popups: its address at once,
// then, from GET /api/host/ADDRESS (asked once the pointer rests on the host, and kept a moment
// for the next hover of it), its bytes and packets each way, its busiest peers and its ports.
import type { HostDetailReply } from '../../shared/protocol.js';
import { si } from '../charts/rate-charts.js';

/** The pointer rests this long on a host before its detail is asked for. */
const ASK_AFTER_MS = 120;
/** A host's detail is shown again without asking within this long. */
const KEEP_MS = 2000;
const KEPT_MAX = 64;
const TOP = 3;
/** The tooltip's offset from the pointer, CSS pixels. */
const OFFSET = 14;

export class HostTip {
  private address: string | null = null;
  /** Where it is shown: by point (x, y) of `area`. */
  private at: { x: number; y: number; area: HTMLElement } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Recent answers by address (null: no traffic in the window), oldest first. */
  private readonly kept = new Map<string, { at: number; detail: HostDetailReply | null }>();

  constructor(private readonly root: HTMLElement) {}

  /** Shows the tooltip of `address` by point (x, y) of `area` (CSS pixels within it). */
  show(address: string, x: number, y: number, area: HTMLElement): void {
    this.address = address;
    this.at = { x, y, area };
    (this.root.querySelector('.tip-address') as HTMLElement).textContent = address;
    this.root.dataset.address = address;
    this.root.hidden = false;
    const kept = this.kept.get(address);
    clearTimeout(this.timer);
    if (kept !== undefined && performance.now() - kept.at < KEEP_MS) this.fill(kept.detail);
    else {
      this.fill(undefined);
      this.timer = setTimeout(() => void this.ask(address), ASK_AFTER_MS);
    }
  }

  hide(): void {
    this.address = null;
    this.at = null;
    clearTimeout(this.timer);
    this.root.hidden = true;
    delete this.root.dataset.address;
  }

  private async ask(address: string): Promise<void> {
    let detail: HostDetailReply | null;
    try {
      const res = await fetch(`/api/host/${encodeURIComponent(address)}?top=${TOP}`);
      if (!res.ok && res.status !== 404) throw new Error(`status ${res.status}`);
      detail = res.ok ? ((await res.json()) as HostDetailReply) : null;
    } catch {
      if (this.address === address) { this.state('its traffic could not be read'); this.place(); }
      return;
    }
    this.kept.delete(address);
    this.kept.set(address, { at: performance.now(), detail });
    for (const old of this.kept.keys()) { if (this.kept.size <= KEPT_MAX) break; this.kept.delete(old); }
    if (this.address === address) this.fill(detail);
  }

  /** Beside the point it is shown by, on the side with room (its size changes as it fills). */
  private place(): void {
    if (this.at === null) return;
    const { x, y, area } = this.at, w = this.root.offsetWidth, h = this.root.offsetHeight;
    this.root.style.left = `${x + OFFSET + w <= area.clientWidth ? x + OFFSET : Math.max(0, x - OFFSET - w)}px`;
    this.root.style.top = `${y + OFFSET + h <= area.clientHeight ? y + OFFSET : Math.max(0, y - OFFSET - h)}px`;
  }

  /** The numbers of `detail`; undefined: still asking; null: no traffic in the window. */
  private fill(detail: HostDetailReply | null | undefined): void {
    this.fillNumbers(detail);
    this.place();
  }

  private fillNumbers(detail: HostDetailReply | null | undefined): void {
    const numbers = this.root.querySelector('.tip-numbers') as HTMLElement;
    numbers.hidden = !detail;
    this.state(detail === undefined ? '…' : detail === null ? 'no traffic in the window' : null);
    if (!detail) return;
    const set = (sel: string, text: string) => { (this.root.querySelector(sel) as HTMLElement).textContent = text; };
    const n = (v: number) => v.toLocaleString('en-US');
    set('.tip-bytes-out', n(detail.bytesOut));
    set('.tip-bytes-in', n(detail.bytesIn));
    set('.tip-packets-out', n(detail.packetsOut));
    set('.tip-packets-in', n(detail.packetsIn));
    const list = (sel: string, items: { name: string; bytes: number }[]) => {
      const out = this.root.querySelector(sel) as HTMLElement;
      out.replaceChildren(...items.map(({ name, bytes }) => {
        const item = document.createElement('span');
        item.className = 'tip-item';
        item.dataset.name = name;
        item.textContent = `${name} `;
        const size = document.createElement('small');
        size.textContent = `${si(bytes)}B`;
        item.append(size);
        return item;
      }));
      if (items.length === 0) out.textContent = '–';
    };
    list('.tip-peers', detail.peers.map((p) => ({ name: p.address, bytes: p.bytes })));
    const port = (p: HostDetailReply['localPorts'][number]) => ({ name: `${p.port}/${p.protocol}`, bytes: p.bytes });
    list('.tip-local-ports', detail.localPorts.map(port));
    list('.tip-remote-ports', detail.remotePorts.map(port));
  }

  private state(text: string | null): void {
    const el = this.root.querySelector('.tip-state') as HTMLElement;
    el.hidden = text === null;
    el.textContent = text ?? '';
  }
}
