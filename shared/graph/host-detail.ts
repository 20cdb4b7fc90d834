// What an analyst asks about one host, answered from the window's packet records: bytes and
// packets sent and received, its busiest peers, the ports on its side and on the far side,
// and its bytes per second in each direction.
import type { WindowRecords } from './window-records.js';

export interface Ranked { key: number; bytes: number; packets: number }
export interface PortRanked { port: number; proto: number; bytes: number; packets: number }

export interface HostDetail {
  host: number;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  /** Peers (host ids) by bytes both ways, most first. */
  peers: Ranked[];
  /** Ports on this host's side / on the peer's side, by bytes, most first. */
  localPorts: PortRanked[];
  remotePorts: PortRanked[];
  /** Whole seconds from seriesStart: bytes sent and received in each. */
  seriesStart: number;
  bytesOutPerSecond: Float64Array;
  bytesInPerSecond: Float64Array;
}

export interface HostDetailOptions {
  /** Entries in each ranked list. */
  top: number;
  /** Time span of the series, in capture seconds (records outside it still count in the totals). */
  from: number;
  to: number;
}

/** Longest series kept: an hour of seconds. */
const MAX_SERIES_SECONDS = 3600;

export function hostDetail(records: WindowRecords, host: number, options: HostDetailOptions): HostDetail {
  const { top, from, to } = options;
  if (!Number.isInteger(host) || host < 0) throw new RangeError(`host must be a host id, got ${host}`);
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`top must be a positive integer, got ${top}`);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) throw new RangeError(`from and to must be finite with from <= to, got ${from}, ${to}`);
  const seriesStart = Math.floor(from);
  const seconds = Math.min(MAX_SERIES_SECONDS, Math.floor(to) - seriesStart + 1);
  const out = new Float64Array(seconds), inn = new Float64Array(seconds);
  const peers = new Map<number, Ranked>();
  const local = new Map<number, PortRanked>(), remote = new Map<number, PortRanked>();
  let bytesOut = 0, bytesIn = 0, packetsOut = 0, packetsIn = 0;
  const { time, src, dst, srcPort, dstPort, proto, bytes, capacity } = records;
  for (let k = 0, at = records.head; k < records.size; k++, at = at + 1 === capacity ? 0 : at + 1) {
    const sent = src[at] === host, received = dst[at] === host;
    if (!sent && !received) continue;
    const b = bytes[at], s = Math.floor(time[at]) - seriesStart;
    // A host talking to itself sends and receives the same packet.
    if (sent) { bytesOut += b; packetsOut++; if (s >= 0 && s < seconds) out[s] += b; }
    if (received) { bytesIn += b; packetsIn++; if (s >= 0 && s < seconds) inn[s] += b; }
    const peer = sent ? dst[at] : src[at];
    tally(peers, peer, b, () => ({ key: peer, bytes: 0, packets: 0 }));
    const mine = sent ? srcPort[at] : dstPort[at], theirs = sent ? dstPort[at] : srcPort[at], p = proto[at];
    if (mine >= 0) tally(local, p * 65536 + mine, b, () => ({ port: mine, proto: p, bytes: 0, packets: 0 }));
    if (theirs >= 0) tally(remote, p * 65536 + theirs, b, () => ({ port: theirs, proto: p, bytes: 0, packets: 0 }));
  }
  return {
    host, bytesOut, bytesIn, packetsOut, packetsIn,
    peers: ranked(peers, top), localPorts: ranked(local, top), remotePorts: ranked(remote, top),
    seriesStart, bytesOutPerSecond: out, bytesInPerSecond: inn,
  };
}

function tally<T extends { bytes: number; packets: number }>(m: Map<number, T>, key: number, bytes: number, make: () => T): void {
  let e = m.get(key);
  if (e === undefined) { e = make(); m.set(key, e); }
  e.bytes += bytes; e.packets++;
}

/** The `top` entries by bytes (then packets), most first. */
function ranked<T extends { bytes: number; packets: number }>(m: Map<number, T>, top: number): T[] {
  return [...m.values()].sort((a, b) => b.bytes - a.bytes || b.packets - a.packets).slice(0, top);
}
