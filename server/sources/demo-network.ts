// The demo's network: 192.168.x.0/24 subnets seen in MACCDC 2012, a few outside addresses,
// and the roles hosts play (scanners, servers of each service, clients with uneven activity).
// Randomness is handed in, as for the traffic built on it (demo-traffic.ts).
import { Proto } from '../../shared/records.js';

/** How a service's flows look. */
export const BULK = 0, INTERACTIVE = 1, QUERY = 2, ONEWAY = 3;

export interface Service {
  port: number; proto: number; kind: number;
  /** Relative share of flows, and of servers. */
  flows: number; servers: number;
  /** Offered by outside (10.x / public) servers too. */
  outside: boolean;
  /** Chance that a transfer goes client -> server. */
  upload: number;
  reqMin: number; reqMax: number; respMin: number; respMax: number;
}

export const SERVICES: readonly Service[] = [
  { port: 80, proto: Proto.tcp, kind: BULK, flows: 24, servers: 30, outside: true, upload: 0.05, reqMin: 200, reqMax: 900, respMin: 0, respMax: 0 },
  { port: 443, proto: Proto.tcp, kind: BULK, flows: 20, servers: 25, outside: true, upload: 0.05, reqMin: 300, reqMax: 1400, respMin: 0, respMax: 0 },
  { port: 8080, proto: Proto.tcp, kind: BULK, flows: 3, servers: 4, outside: false, upload: 0.05, reqMin: 200, reqMax: 900, respMin: 0, respMax: 0 },
  { port: 445, proto: Proto.tcp, kind: BULK, flows: 8, servers: 8, outside: false, upload: 0.4, reqMin: 72, reqMax: 400, respMin: 0, respMax: 0 },
  { port: 22, proto: Proto.tcp, kind: INTERACTIVE, flows: 4, servers: 8, outside: false, upload: 0, reqMin: 0, reqMax: 0, respMin: 0, respMax: 0 },
  { port: 3389, proto: Proto.tcp, kind: INTERACTIVE, flows: 2, servers: 4, outside: false, upload: 0, reqMin: 0, reqMax: 0, respMin: 0, respMax: 0 },
  { port: 53, proto: Proto.udp, kind: QUERY, flows: 70, servers: 3, outside: true, upload: 0, reqMin: 28, reqMax: 60, respMin: 60, respMax: 480 },
  { port: 123, proto: Proto.udp, kind: QUERY, flows: 4, servers: 2, outside: true, upload: 0, reqMin: 48, reqMax: 48, respMin: 48, respMax: 48 },
  { port: 514, proto: Proto.udp, kind: ONEWAY, flows: 5, servers: 2, outside: false, upload: 0, reqMin: 60, reqMax: 400, respMin: 0, respMax: 0 },
];

/** Third octets of 192.168.x.0/24 subnets seen in MACCDC 2012, used first (the scanners live in the first). */
const SUBNETS = [202, 206, 229, 21, 22, 23, 24, 25, 26, 27, 28, 203, 204, 205, 207, 1, 2, 3, 5, 10];
const PUBLIC_FIRST_OCTETS = [23, 31, 52, 64, 66, 72, 74, 91, 98, 104, 128, 131, 151, 157, 173, 184, 199, 204, 208, 216];
const HOSTS_PER_SUBNET = 150;

export interface Network {
  /** Address of every host id. */
  addr: Uint32Array;
  scanners: Int32Array;
  /** Internal non-scanner hosts in address order (what sweeps walk). */
  sweepOrder: Int32Array;
  /** Server host ids, their SERVICES index, and the service port per host id (-1: none). */
  servers: Int32Array; serverService: Uint8Array; servicePort: Int32Array;
  clients: Int32Array; clientCum: Float64Array;
  serviceCum: Float64Array;
  /** Per service: server slots (indices into servers) and their cumulative popularity. */
  byService: Int32Array[]; byServiceCum: Float64Array[];
}

export function createNetwork(random: () => number, hosts: number): Network {
  const outside = Math.max(3, Math.round(hosts * 0.015));
  const internal = hosts - outside;
  const nScanners = Math.min(6, Math.max(2, Math.round(hosts / 1000)));
  const addr = new Uint32Array(hosts);

  // Internal hosts over unevenly weighted subnets; the scanners' subnet holds at least 8.
  const nSubnets = Math.min(256, Math.max(4, Math.ceil(internal / HOSTS_PER_SUBNET)));
  const octets = SUBNETS.slice(0, nSubnets);
  while (octets.length < nSubnets) { const x = Math.floor(random() * 256); if (!octets.includes(x)) octets.push(x); }
  const weightCum = new Float64Array(nSubnets);
  for (let s = 0, sum = 0; s < nSubnets; s++) weightCum[s] = sum += 0.05 + random() ** 2;
  const population = new Int32Array(nSubnets);
  population[0] = 8;
  for (let h = 8; h < internal; h++) {
    let s: number;
    do s = pickWeighted(weightCum, random()); while (population[s] >= 254);
    population[s]++;
  }
  const lastOctets = new Uint8Array(254);
  let id = 0;
  for (let s = 0; s < nSubnets; s++) {
    for (let k = 0; k < 254; k++) lastOctets[k] = k + 1;
    for (let k = 0; k < population[s]; k++) {
      const j = k + Math.floor(random() * (254 - k));
      const x = lastOctets[j]; lastOctets[j] = lastOctets[k]; lastOctets[k] = x;
      addr[id++] = ((192 << 24) | (168 << 16) | (octets[s] << 8) | x) >>> 0;
    }
  }
  const used = new Set(addr.subarray(0, internal));
  while (id < hosts) {
    const a = random() < 0.3
      ? ((10 << 24) | (Math.floor(random() * 4) << 16) | (Math.floor(random() * 256) << 8) | (1 + Math.floor(random() * 254))) >>> 0
      : ((PUBLIC_FIRST_OCTETS[Math.floor(random() * PUBLIC_FIRST_OCTETS.length)] << 24) | (Math.floor(random() * 65536) << 8) | (1 + Math.floor(random() * 254))) >>> 0;
    if (!used.has(a)) { used.add(a); addr[id++] = a; }
  }

  // Roles: scanners are the first hosts of subnet 0; internal servers a random pick of the rest.
  const scanners = Int32Array.from({ length: nScanners }, (_, k) => k);
  const rest = Int32Array.from({ length: internal - nScanners }, (_, k) => k + nScanners);
  const internalServers = Math.max(SERVICES.length, Math.round(hosts * 0.025));
  for (let k = 0; k < internalServers; k++) {
    const j = k + Math.floor(random() * (rest.length - k));
    const x = rest[j]; rest[j] = rest[k]; rest[k] = x;
  }
  const servers = new Int32Array(internalServers + outside);
  servers.set(rest.subarray(0, internalServers));
  for (let k = 0; k < outside; k++) servers[internalServers + k] = internal + k;
  const serverService = new Uint8Array(servers.length);
  const insideCum = cumulative(SERVICES.map((s) => s.servers));
  const outsideCum = cumulative(SERVICES.map((s) => (s.outside ? s.servers : 0)));
  for (let k = 0; k < servers.length; k++) {
    serverService[k] = k < SERVICES.length ? k : pickWeighted(k < internalServers ? insideCum : outsideCum, random());
  }
  const servicePort = new Int32Array(hosts).fill(-1);
  for (let k = 0; k < servers.length; k++) servicePort[servers[k]] = SERVICES[serverService[k]].port;

  const byService: Int32Array[] = [], byServiceCum: Float64Array[] = [];
  for (let v = 0; v < SERVICES.length; v++) {
    const slots = Int32Array.from(serverService.keys()).filter((k) => serverService[k] === v);
    byService.push(slots);
    byServiceCum.push(cumulative(Array.from(slots, () => pareto(random, 1, 1.5)))); // a few servers get most clients
  }
  const clients = rest.slice(internalServers);
  const clientCum = cumulative(Array.from(clients, () => pareto(random, 1, 2)));
  const sweepOrder = Int32Array.from({ length: internal - nScanners }, (_, k) => k + nScanners).sort((a, b) => addr[a] - addr[b]);
  return {
    addr, scanners, sweepOrder, servers, serverService, servicePort, clients, clientCum,
    serviceCum: cumulative(SERVICES.map((s) => s.flows)), byService, byServiceCum,
  };
}

export function pickServer(random: () => number, net: Network): number {
  const v = pickWeighted(net.serviceCum, random());
  return net.byService[v][pickWeighted(net.byServiceCum[v], random())];
}

export function cumulative(weights: ArrayLike<number>): Float64Array {
  const cum = new Float64Array(weights.length);
  for (let i = 0, sum = 0; i < weights.length; i++) cum[i] = sum += weights[i];
  return cum;
}

/** First index whose cumulative weight exceeds u * total (u in [0, 1)). */
export function pickWeighted(cum: Float64Array, u: number): number {
  const target = u * cum[cum.length - 1];
  let lo = 0, hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** A Pareto-distributed value >= xmin (heavy-tailed sizes). */
export function pareto(random: () => number, xmin: number, alpha: number): number {
  return xmin / Math.pow(1 - random(), 1 / alpha);
}
