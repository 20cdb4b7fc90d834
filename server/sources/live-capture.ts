// Live capture through libpcap with the optional `cap` module: frames are decoded as they
// arrive (PacketDecoder, any link type it knows, `any` included) into records that are handed
// on every flushMs. What cap 0.2.1 cannot give is said where it shows: it passes no capture
// timestamp (records carry the time of receipt), no wire length (the captured length stands
// in), no libpcap statistics (drop counters are unknown), and it always opens the interface in
// promiscuous mode with a 65535-byte snapshot (--snaplen only limits what is copied out).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { HostTable } from '../../shared/graph/hosts.js';
import { copyBatch, createPacketBatch, emptySkipCounts, pushRecord, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import { CaptureError } from './open-capture.js';
import { PacketDecoder } from './ip-decode.js';
import { isSupportedLinkType, LinkType } from './link-layer.js';
import type { CaptureCounters } from './tcpdump-process.js';

/** The parts of cap's API used here (it ships no types). */
interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): boolean;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): unknown;
}
interface CapDevice {
  name: string;
  description?: string;
  addresses: { addr: string }[];
  flags?: string;
}
interface CapModule {
  Cap: { new(): CapHandle; deviceList(): CapDevice[] };
}

export interface InterfaceInfo {
  name: string;
  description: string | null;
  addresses: string[];
  loopback: boolean;
}

export interface LiveCaptureOptions {
  interface: string;
  /** BPF filter expression ('' or absent: every packet). */
  filter?: string;
  /** Bytes of each frame copied out and decoded (default 65535). */
  snaplen?: number;
  /** libpcap's capture buffer in MiB (default 16). */
  bufferMb?: number;
  /** Records are handed on at least this often (ms, default 50). */
  flushMs?: number;
  /** Rows per batch at most (default 4096). */
  batchCapacity?: number;
}

export interface LiveCaptureStats {
  packets: number;
  skipped: SkipCounts;
  warning: string | null;
  /** cap offers no pcap_stats: only what arrived is known, the drop counters are null. */
  capture: CaptureCounters;
}

const requireCjs = createRequire(import.meta.url);
let capModule: CapModule | null = null;

/** Loads cap, or throws a CaptureError that says how to build it. */
export function loadCap(): CapModule {
  if (capModule !== null) return capModule;
  try {
    capModule = requireCjs('cap') as CapModule;
  } catch (err) {
    throw capLoadError(err);
  }
  return capModule;
}

/** Why cap could not be loaded (not installed, not built, no libpcap), and how to fix it. */
export function capLoadError(err: unknown): CaptureError {
  return new CaptureError('cap', `the optional live-capture module cannot be loaded (${firstLine(err)}); `
    + 'build it against libpcap: apt-get install libpcap-dev && npm rebuild cap (or capture with --tcpdump)');
}

export function listInterfaces(): InterfaceInfo[] {
  const { Cap } = loadCap();
  let devices: CapDevice[];
  try {
    devices = Cap.deviceList();
  } catch (err) {
    throw new CaptureError('interfaces', `libpcap cannot list them (${firstLine(err)})`);
  }
  return devices.map((d) => ({
    name: d.name,
    description: d.description ?? null,
    addresses: d.addresses.map((a) => a.addr),
    loopback: d.flags?.includes('PCAP_IF_LOOPBACK') ?? false,
  }));
}

/** What libpcap's complaint when opening `iface` (with `filter`) means for the user, as a CaptureError. */
export function captureErrorFor(iface: string, err: unknown, filter = ''): CaptureError {
  const message = firstLine(err);
  if (/permission|not permitted|EPERM|EACCES|CAP_NET_RAW/i.test(message)) {
    return new CaptureError(`interface ${iface}`, `no permission to capture (${message}): run netshade as root, `
      + 'or give node the capability: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which node)")"');
  }
  if (/no such device/i.test(message)) {
    return new CaptureError(`interface ${iface}`, 'no such interface (netshade interfaces lists them)');
  }
  if (filter !== '' && /syntax error|filter|expression|unknown (host|port|protocol|network)|illegal|modifier/i.test(message)) {
    return new CaptureError(`filter "${filter}"`, message);
  }
  return new CaptureError(`interface ${iface}`, `cannot capture: ${message}`);
}

/** The LINKTYPE_* number for the name cap's open() returns ("Unknown linktype N" for the rest). */
export function linkTypeFromCap(name: string): number {
  switch (name) {
    case 'NULL': return LinkType.null;
    case 'ETHERNET': return LinkType.ethernet;
    case 'IEEE802_11_RADIO': return LinkType.radiotap;
    case 'LINKTYPE_LINUX_SLL': return LinkType.linuxSll;
    case 'RAW': return LinkType.raw;
    default: {
      const m = /(\d+)\s*$/.exec(name);
      return m ? Number(m[1]) : -1;
    }
  }
}

/**
 * Packets the interface dropped since this call, as libpcap's ps_ifdrop counts them on Linux
 * (the kernel's rx_dropped of the interface, in sysfs); null where there is no such counter
 * (`any`, other systems). cap gives no pcap_stats, so this is the drop count a cap capture has.
 */
export function interfaceDropCounter(iface: string, root = '/sys/class/net'): () => number | null {
  const path = `${root}/${iface}/statistics/rx_dropped`;
  const read = (): number | null => {
    if (iface.includes('/') || iface === '..' || iface === '.') return null;
    try {
      const v = Number(readFileSync(path, 'utf8').trim());
      return Number.isFinite(v) ? v : null;
    } catch {
      return null;
    }
  };
  const start = read();
  return () => {
    const now = start === null ? null : read();
    return now === null || start === null ? null : Math.max(0, now - start);
  };
}

export class LiveCapture {
  readonly linkType: number;
  packets = 0;
  readonly skipped: SkipCounts = emptySkipCounts();
  readonly warning: string | null;

  private readonly cap: CapHandle;
  private readonly frame: Uint8Array;
  private readonly decoder: PacketDecoder;
  private readonly pending: PacketBatch;
  private readonly ready: PacketBatch[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly interfaceDrops: () => number | null;
  private wake: (() => void) | null = null;
  private closed = false;
  private iterated = false;

  /** Opens the interface and starts capturing; throws a CaptureError that says what to do. */
  constructor(opts: LiveCaptureOptions, hosts: HostTable) {
    const { snaplen = 65535, bufferMb = 16, flushMs = 50, batchCapacity = 4096, filter = '' } = opts;
    if (!Number.isInteger(snaplen) || snaplen < 64 || snaplen > 262144) throw new RangeError(`snaplen must be an integer 64..262144, got ${snaplen}`);
    if (!(bufferMb >= 1 && bufferMb <= 2047)) throw new RangeError(`bufferMb must be 1..2047, got ${bufferMb}`);
    if (!(flushMs > 0)) throw new RangeError(`flushMs must be positive, got ${flushMs}`);
    const { Cap } = loadCap();
    const known = listInterfaces().map((d) => d.name);
    if (!known.includes(opts.interface)) {
      throw new CaptureError(`interface ${opts.interface}`, `no such interface (there are: ${known.join(', ')})`);
    }
    const buffer = Buffer.alloc(snaplen);
    this.frame = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    this.interfaceDrops = interfaceDropCounter(opts.interface);
    this.cap = new Cap();
    keepForever(this.cap);
    let linkName: string;
    try {
      linkName = this.cap.open(opts.interface, filter, Math.round(bufferMb * 1024 * 1024), buffer);
    } catch (err) {
      throw captureErrorFor(opts.interface, err, filter);
    }
    this.linkType = linkTypeFromCap(linkName);
    this.warning = isSupportedLinkType(this.linkType) ? null
      : `${opts.interface}: link type ${linkName} is not decoded; its packets are counted as unsupported-link`;
    this.decoder = new PacketDecoder(hosts);
    this.pending = createPacketBatch(batchCapacity);
    this.cap.on('packet', (nbytes) => this.onPacket(nbytes));
    this.timer = setInterval(() => this.flush(), flushMs);
  }

  /** The records, batch by batch, until close(); iterate once. Each batch is the consumer's to keep. */
  async *batches(): AsyncGenerator<PacketBatch> {
    if (this.iterated) throw new Error('LiveCapture.batches() can be iterated only once');
    this.iterated = true;
    try {
      for (;;) {
        while (this.ready.length > 0) yield this.ready.shift()!;
        if (this.closed) return;
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = null;
      }
    } finally {
      this.close();
    }
  }

  stats(): LiveCaptureStats {
    return {
      packets: this.packets,
      skipped: { ...this.skipped },
      warning: this.warning,
      capture: { received: this.packets, dropped: null, ifDropped: this.interfaceDrops() },
    };
  }

  /** Stops capturing; records already captured are still handed on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.cap.close();
    this.flush();
    this.wake?.();
  }

  private onPacket(nbytes: number): void {
    const d = this.decoder;
    // The frame buffer is overwritten by the next packet: decode now.
    d.decodeFrame(this.frame, 0, nbytes, nbytes, this.linkType);
    if (d.skip !== null) this.skipped[d.skip]++;
    const b = this.pending;
    pushRecord(b, Date.now() / 1000, d.src, d.dst, d.srcPort, d.dstPort, d.proto, d.bytes);
    this.packets++;
    if (b.length === b.time.length) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.ready.push(copyBatch(this.pending));
    this.pending.length = 0;
    this.wake?.();
  }
}

/**
 * cap 0.2.1 handles must never be garbage-collected: their destructor (a Nan::AsyncResource's)
 * calls into Node from inside the collector and crashes the process (seen in the server with
 * a closed handle; and one whose open() failed also stops a poll handle it never started).
 * They are kept on globalThis, so that a module reloaded (as test runners do) keeps them too.
 */
function keepForever(handle: CapHandle): void {
  const key = Symbol.for('netshade.capHandles');
  const store = globalThis as unknown as Record<symbol, CapHandle[] | undefined>;
  (store[key] ??= []).push(handle);
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim();
}
