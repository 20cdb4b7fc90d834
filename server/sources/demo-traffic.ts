// The built-in demo: a seeded packet stream shaped like the MACCDC 2012 capture (a cyber-defence
// exercise). Thousands of hosts in unevenly populated 192.168.x.0/24 subnets plus a few outside
// addresses; scanners sweeping them (ICMP echo sweeps, TCP SYN port scans: zero-byte packets,
// very many edges) in episodes that start and stop; busy servers (web, DNS, SMB, SSH ...) with
// heavy-tailed flows; flow starts that rise and fall in bursts. Randomness is handed in
// (d3 style), so a seed gives the same packets everywhere. Output: columns in time order.
import { Proto } from '../../shared/records.js';
import type { Ipv4Packets } from '../export/pcap-writer.js';
import { BULK, INTERACTIVE, QUERY, SERVICES, createNetwork, pareto, pickServer, pickWeighted, type Network } from './demo-network.js';

/** 2012-03-16 12:30:00 UTC, during the MACCDC 2012 exercise. */
export const DEMO_START_TIME = 1331901000;
export const DEMO_MIN_HOSTS = 32;
export const DEMO_MAX_HOSTS = 20_000;
export const DEMO_MAX_PACKETS = 5_000_000;

export interface DemoTrafficOptions {
  /** Capture length in seconds, [0.001, 86400]. */
  durationS: number;
  /** Distinct hosts in the network (all of them appear once there are enough packets). */
  hosts: number;
  /** Mean packet rate; the packet count is round(durationS * packetsPerSecond). */
  packetsPerSecond: number;
  /** Epoch seconds of the capture start (an integer). */
  startTime: number;
}

export const DEMO_TRAFFIC_DEFAULTS: Readonly<DemoTrafficOptions> = Object.freeze({
  durationS: 600, hosts: 3000, packetsPerSecond: 600, startTime: DEMO_START_TIME,
});

/** Packets in time order (the columns pcap-writer encodes), and the network's hosts. */
export interface DemoTraffic extends Ipv4Packets {
  /** Every host address of the generated network. */
  hostAddr: Uint32Array;
}

/** Share of the packets spent on scans. */
const SCAN_SHARE = 0.15;
const FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16;
const ICMP_ECHO_REPLY = 0, ICMP_ECHO_REQUEST = 8;
const MSS = 1448;
const PROBE_PORTS = [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 389, 443, 445, 993, 995,
  1433, 1723, 3306, 3389, 5900, 8080];

/** mulberry32: a small, fast 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Defaults filled in and every option checked (RangeError/TypeError naming it). */
export function resolveDemoOptions(options: Partial<DemoTrafficOptions> = {}): DemoTrafficOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!(key in DEMO_TRAFFIC_DEFAULTS)) throw new TypeError(`unknown demo option "${key}" (known: ${Object.keys(DEMO_TRAFFIC_DEFAULTS).join(', ')})`);
  }
  const o = { ...DEMO_TRAFFIC_DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  for (const key of Object.keys(o) as (keyof DemoTrafficOptions)[]) {
    if (typeof o[key] !== 'number' || !Number.isFinite(o[key])) throw new TypeError(`${key} must be a finite number, got ${String(o[key])}`);
  }
  if (!(o.durationS >= 0.001 && o.durationS <= 86400)) throw new RangeError(`durationS must be in [0.001, 86400], got ${o.durationS}`);
  if (!Number.isInteger(o.hosts) || o.hosts < DEMO_MIN_HOSTS || o.hosts > DEMO_MAX_HOSTS) {
    throw new RangeError(`hosts must be an integer in [${DEMO_MIN_HOSTS}, ${DEMO_MAX_HOSTS}], got ${o.hosts}`);
  }
  const packets = Math.round(o.durationS * o.packetsPerSecond);
  if (!(o.packetsPerSecond > 0) || packets < 1 || packets > DEMO_MAX_PACKETS) {
    throw new RangeError(`packetsPerSecond must make durationS * packetsPerSecond round to 1..${DEMO_MAX_PACKETS} packets, got ${o.packetsPerSecond}`);
  }
  if (!Number.isInteger(o.startTime) || o.startTime < 0 || o.startTime + Math.ceil(o.durationS) >= 2 ** 32) {
    throw new RangeError(`startTime must be integer epoch seconds with the capture ending before 2^32, got ${o.startTime}`);
  }
  return o;
}

/** Exactly round(durationS * packetsPerSecond) packets, in time order. */
export function generateDemoTraffic(random: () => number, options: Partial<DemoTrafficOptions> = {}): DemoTraffic {
  if (typeof random !== 'function') throw new TypeError('random must be a function returning numbers in [0, 1)');
  const o = resolveDemoOptions(options);
  const count = Math.round(o.durationS * o.packetsPerSecond);
  const durationUs = Math.round(o.durationS * 1e6);
  const net = createNetwork(random, o.hosts);
  const out = createRows(count);
  const scanBudget = Math.round(count * SCAN_SHARE);
  emitScans(random, net, out, scanBudget, durationUs);
  emitFlows(random, net, out, count - scanBudget, durationUs);
  return sortByTime(out, o.startTime, durationUs, net.addr);
}

/** Unsorted rows with capture-relative integer microsecond offsets. */
interface Rows {
  length: number;
  offUs: Float64Array; srcAddr: Uint32Array; dstAddr: Uint32Array; srcPort: Uint16Array; dstPort: Uint16Array;
  proto: Uint8Array; flags: Uint8Array; bytes: Uint32Array;
}

function createRows(n: number): Rows {
  return {
    length: 0, offUs: new Float64Array(n), srcAddr: new Uint32Array(n), dstAddr: new Uint32Array(n),
    srcPort: new Uint16Array(n), dstPort: new Uint16Array(n), proto: new Uint8Array(n), flags: new Uint8Array(n),
    bytes: new Uint32Array(n),
  };
}

function push(r: Rows, offUs: number, src: number, dst: number, sp: number, dp: number, proto: number, flags: number, bytes: number): void {
  const i = r.length++;
  r.offUs[i] = offUs; r.srcAddr[i] = src; r.dstAddr[i] = dst; r.srcPort[i] = sp; r.dstPort[i] = dp;
  r.proto[i] = proto; r.flags[i] = flags; r.bytes[i] = bytes;
}

/** Scan episodes (ICMP sweeps over runs of hosts in address order, SYN scans of a few hosts x many ports). */
function emitScans(random: () => number, net: Network, out: Rows, budget: number, durationUs: number): void {
  const targets = net.sweepOrder, scanners = net.scanners;
  const last = durationUs - 1;
  let remaining = budget;
  // Sweeps follow one another with pauses (never more than one at a time); port scans come anywhere.
  let sweepCursor = random() * Math.min(durationUs * 0.1, 10e6);
  for (let e = 0; remaining > 0; e++) {
    const scanner = net.addr[scanners[e % scanners.length]];
    const sweepTime = durationUs - sweepCursor;
    const sweep = (e < scanners.length ? e % 2 === 0 : random() < 0.4) && sweepTime > Math.min(20e6, durationUs / 2);
    const rate = sweep ? 5 + random() * 8 : 100 + random() * 500; // probes per second
    const first = Math.floor(random() * targets.length);
    const hostCount = sweep
      ? Math.max(1, Math.min(Math.round(targets.length * (0.35 + 0.65 * random())), Math.floor((sweepTime / 1e6) * rate)))
      : 8 + Math.floor(random() * 40);
    const portCount = sweep ? 1 : 20 + Math.floor(random() * 200);
    const packets = Math.min(remaining, Math.round(hostCount * portCount * 1.7));
    const spanUs = (packets / 1.7 / rate) * 1e6;
    let start = random() * Math.max(0, durationUs - spanUs);
    if (sweep) { start = sweepCursor; sweepCursor += spanUs + (5 + random() * 40) * 1e6; }
    const scanPort = 1024 + Math.floor(random() * 64000), icmpId = Math.floor(random() * 65536);
    let left = packets;
    for (let probe = 0; left > 0; probe++) {
      const port = sweep ? 0 : probe / hostCount < PROBE_PORTS.length ? PROBE_PORTS[Math.floor(probe / hostCount)] : 1 + Math.floor(random() * 1024);
      const slot = targets[(first + (probe % hostCount)) % targets.length];
      const target = net.addr[slot];
      const t = Math.min(last, Math.floor(start + (probe + random()) * (1e6 / rate)));
      const tReply = Math.min(last, t + 150 + Math.floor(random() * 3000));
      if (sweep) {
        push(out, t, scanner, target, icmpId, probe & 0xffff, Proto.icmp, ICMP_ECHO_REQUEST, 8); left--;
        if (left > 0 && random() < 0.75) { push(out, tReply, target, scanner, icmpId, probe & 0xffff, Proto.icmp, ICMP_ECHO_REPLY, 8); left--; }
        continue;
      }
      push(out, t, scanner, target, scanPort, port, Proto.tcp, SYN, 0); left--;
      if (left > 0 && net.servicePort[slot] === port) {
        push(out, tReply, target, scanner, port, scanPort, Proto.tcp, SYN | ACK, 0); left--;
        if (left > 0) { push(out, Math.min(last, tReply + 50), scanner, target, scanPort, port, Proto.tcp, RST, 0); left--; }
      } else if (left > 0 && random() < 0.7) {
        push(out, tReply, target, scanner, port, scanPort, Proto.tcp, RST | ACK, 0); left--;
      }
    }
    remaining -= packets;
  }
}

/** Per-second weights for flow starts (a slow swell plus bursts), as a cumulative sum. */
function flowStartProfile(random: () => number, seconds: number): Float64Array {
  const w = new Float64Array(seconds);
  const phase = random() * 2 * Math.PI;
  for (let s = 0; s < seconds; s++) w[s] = 1 + 0.3 * Math.sin((2 * Math.PI * s) / 300 + phase);
  // One burst per minute-long segment, so bursts never pile up on each other.
  const bursts = Math.max(1, Math.round(seconds / 60)), segment = seconds / bursts;
  for (let b = 0; b < bursts; b++) {
    const len = Math.ceil(segment * (0.1 + 0.5 * random())), amp = 0.5 + random() * 1.5;
    const from = Math.floor(b * segment + random() * (segment - len));
    for (let s = from; s < Math.min(seconds, from + len); s++) w[s] += amp;
  }
  const cum = new Float64Array(seconds);
  let sum = 0;
  for (let s = 0; s < seconds; s++) cum[s] = sum += w[s];
  return cum;
}

/** Client-server flows until the budget is spent; the first ones cover every server and client once. */
function emitFlows(random: () => number, net: Network, out: Rows, budget: number, durationUs: number): void {
  const seconds = Math.ceil(durationUs / 1e6);
  const profile = flowStartProfile(random, seconds);
  const maxFlow = Math.max(16, Math.round(budget * 0.03));
  const rel = new Float64Array(maxFlow), fromClient = new Uint8Array(maxFlow), flags = new Uint8Array(maxFlow), bytes = new Uint32Array(maxFlow);
  const nServers = net.servers.length, nClients = net.clients.length;
  let remaining = budget;
  for (let k = 0; remaining > 0; k++) {
    const si = k < nServers ? k : pickServer(random, net);
    const svc = SERVICES[net.serverService[si]];
    const server = net.addr[net.servers[si]];
    const client = net.addr[net.clients[k >= nServers && k < nServers + nClients ? k - nServers : pickWeighted(net.clientCum, random())]];
    const n = Math.min(remaining, maxFlow, flowPackets(random, svc.kind));
    const span = svc.kind === BULK ? planBulk(random, n, random() < svc.upload, svc.reqMin, svc.reqMax, rel, fromClient, flags, bytes)
      : svc.kind === INTERACTIVE ? planInteractive(random, n, rel, fromClient, flags, bytes)
      : planDatagrams(random, n, svc.kind === QUERY, svc.reqMin, svc.reqMax, svc.respMin, svc.respMax, rel, fromClient, bytes);
    const scale = span >= durationUs ? (durationUs - 1) / span : 1;
    // A flow that would run past the end starts anywhere it fits instead (no pile-up at the end).
    const latest = Math.max(0, durationUs - 1 - span * scale);
    const sampled = (pickWeighted(profile, random()) + random()) * 1e6;
    const start = sampled <= latest ? sampled : random() * latest;
    const clientPort = 1024 + Math.floor(random() * 64512);
    for (let i = 0; i < n; i++) {
      const t = Math.floor(start + rel[i] * scale);
      const fl = svc.proto === Proto.tcp ? flags[i] : 0;
      if (fromClient[i]) push(out, t, client, server, clientPort, svc.port, svc.proto, fl, bytes[i]);
      else push(out, t, server, client, svc.port, clientPort, svc.proto, fl, bytes[i]);
    }
    remaining -= n;
  }
}

/** Heavy-tailed packets per flow by kind. */
function flowPackets(random: () => number, kind: number): number {
  if (kind === BULK) return 4 + Math.floor(pareto(random, 2, 0.9));
  if (kind === INTERACTIVE) return 8 + Math.floor(pareto(random, 6, 1.3));
  if (kind === QUERY) return 2 * Math.floor(pareto(random, 1, 2.5));
  return Math.floor(pareto(random, 1, 1.5));
}

/** TCP transfer: handshake, request, MSS-sized data with an ACK every third packet, FINs. Returns the span (us). */
function planBulk(random: () => number, n: number, upload: boolean, reqMin: number, reqMax: number,
  rel: Float64Array, fromClient: Uint8Array, flags: Uint8Array, bytes: Uint32Array): number {
  const rtt = 200 + random() * random() * 30000, gap = 30 + random() ** 3 * 4000;
  let t = 0;
  for (let i = 0; i < n; i++) {
    let c = 1, f = ACK, b = 0;
    if (i === 0) f = SYN;
    else if (i === 1) { t += rtt; c = 0; f = n === 2 ? RST | ACK : SYN | ACK; }
    else if (i === 2) t += 20 + random() * 200;
    else if (i === 3) { t += 10 + random() * 100; f = PSH | ACK; b = reqMin + Math.floor(random() * (reqMax - reqMin + 1)); }
    else if (n >= 8 && i >= n - 2) { t += rtt; c = i === n - 2 ? 1 : 0; f = FIN | ACK; }
    else {
      t += i === 4 ? rtt : gap * (0.5 + random());
      const sender = upload ? 1 : 0;
      if ((i - 4) % 3 === 2) c = 1 - sender;
      else { c = sender; b = random() < 0.85 ? MSS : 1 + Math.floor(random() * MSS); f = b < MSS ? PSH | ACK : ACK; }
    }
    rel[i] = t; fromClient[i] = c; flags[i] = f; bytes[i] = b;
  }
  return t;
}

/** TCP session of small packets both ways at human pace (SSH, RDP). */
function planInteractive(random: () => number, n: number, rel: Float64Array, fromClient: Uint8Array, flags: Uint8Array, bytes: Uint32Array): number {
  const meanGap = 20000 + random() * 600000;
  let t = 0;
  for (let i = 0; i < n; i++) {
    let c = 1, f = PSH | ACK, b = 0;
    if (i === 0) f = SYN;
    else if (i === 1) { t += 300 + random() * 3000; c = 0; f = SYN | ACK; }
    else if (i === 2) { t += 50; f = ACK; }
    else if (i >= n - 2) { t += 1000; c = i === n - 2 ? 1 : 0; f = FIN | ACK; }
    else { t += -Math.log(1 - random()) * meanGap; c = random() < 0.5 ? 1 : 0; b = c ? 36 + Math.floor(random() * 90) : 36 + Math.floor(random() * 700); }
    rel[i] = t; fromClient[i] = c; flags[i] = f; bytes[i] = b;
  }
  return t;
}

/** UDP request/response pairs (DNS, NTP) or one-way datagrams (syslog). */
function planDatagrams(random: () => number, n: number, paired: boolean, reqMin: number, reqMax: number, respMin: number, respMax: number,
  rel: Float64Array, fromClient: Uint8Array, bytes: Uint32Array): number {
  let t = 0;
  for (let i = 0; i < n; i++) {
    const reply = paired && i % 2 === 1;
    if (reply) t += 300 + random() * random() * 30000;
    else if (i > 0) t += -Math.log(1 - random()) * (paired ? 150000 : 1500000);
    rel[i] = t; fromClient[i] = reply ? 0 : 1;
    bytes[i] = reply ? respMin + Math.floor(random() * (respMax - respMin + 1)) : reqMin + Math.floor(random() * (reqMax - reqMin + 1));
  }
  return t;
}

/**
 * Rows into time order: bucket by second (counting sort), then sort each bucket's keys
 * (microsecond within the second * 2^32 + row: exact in a double, and stable by row).
 */
function sortByTime(r: Rows, startTime: number, durationUs: number, hostAddr: Uint32Array): DemoTraffic {
  const n = r.length, seconds = Math.ceil(durationUs / 1e6);
  const bucketStart = new Uint32Array(seconds + 1);
  for (let i = 0; i < n; i++) bucketStart[Math.floor(r.offUs[i] / 1e6) + 1]++;
  let widest = 0;
  for (let s = 0; s < seconds; s++) { widest = Math.max(widest, bucketStart[s + 1]); bucketStart[s + 1] += bucketStart[s]; }
  const fill = bucketStart.slice(0, seconds), order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[Math.floor(r.offUs[i] / 1e6)]++] = i;
  const keys = new Float64Array(widest);
  for (let s = 0; s < seconds; s++) {
    const from = bucketStart[s], m = bucketStart[s + 1] - from;
    for (let j = 0; j < m; j++) { const i = order[from + j]; keys[j] = (r.offUs[i] - s * 1e6) * 4294967296 + i; }
    const sorted = keys.subarray(0, m).sort();
    for (let j = 0; j < m; j++) order[from + j] = sorted[j] % 4294967296;
  }
  const out: DemoTraffic = {
    length: n, time: new Float64Array(n), srcAddr: new Uint32Array(n), dstAddr: new Uint32Array(n), srcPort: new Uint16Array(n),
    dstPort: new Uint16Array(n), proto: new Uint8Array(n), flags: new Uint8Array(n), bytes: new Uint32Array(n), hostAddr,
  };
  for (let j = 0; j < n; j++) {
    const i = order[j];
    out.time[j] = startTime + r.offUs[i] / 1e6;
    out.srcAddr[j] = r.srcAddr[i]; out.dstAddr[j] = r.dstAddr[i]; out.srcPort[j] = r.srcPort[i]; out.dstPort[j] = r.dstPort[i];
    out.proto[j] = r.proto[i]; out.flags[j] = r.flags[i]; out.bytes[j] = r.bytes[i];
  }
  return out;
}
