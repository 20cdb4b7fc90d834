// The windowed traffic graph: undirected edges keyed by (protocol, lower host, higher host),
// with bytes and packets over a sliding window of capture time and cumulatively.
// The window is kept as a ring of time buckets; each bucket holds per-edge sums, so memory
// grows with edges per bucket, not with packets.
import { type PacketBatch, NO_HOST, PROTO_COUNT } from '../records.js';

export interface TrafficGraphOptions {
  /** Sliding window length in capture seconds. */
  windowSeconds: number;
  /** Bucket length in capture seconds; the window's resolution. */
  bucketSeconds?: number;
}

/** Edges active in the window, compacted (caller may keep it; fresh arrays each call). */
export interface WindowEdges {
  count: number;
  source: Int32Array;
  target: Int32Array;
  proto: Uint8Array;
  bytes: Float64Array;
  packets: Float64Array;
}

interface Bucket {
  id: number;
  edge: Int32Array;
  bytes: Float64Array;
  packets: Float64Array;
  n: number;
}

const HOST_LIMIT = 1 << 24; // edge keys pack two host ids in 48 bits

export class TrafficGraph {
  readonly windowSeconds: number;
  readonly bucketSeconds: number;
  edgeCount = 0;
  edgeSource = new Int32Array(1024);
  edgeTarget = new Int32Array(1024);
  edgeProto = new Uint8Array(1024);
  totalBytes = new Float64Array(1024);
  totalPackets = new Float64Array(1024);
  /** Capture time of each edge's first packet. */
  edgeFirstSeen = new Float64Array(1024);
  windowBytes = new Float64Array(1024);
  windowPackets = new Float64Array(1024);
  /** Bumps whenever the window's edge set or weights change. */
  version = 0;
  /** Newest capture time added (seconds), or -Infinity before the first record. */
  newestTime = -Infinity;
  /** Hosts that ever appeared on an edge (1) or not (0), by host id. */
  hostSeen = new Uint8Array(1024);
  hostsSeen = 0;

  private readonly keyToEdge = new Map<number, number>();
  private lastBucketOfEdge = new Float64Array(1024).fill(NaN);
  private slotOfEdge = new Int32Array(1024);
  private readonly buckets: Bucket[] = [];
  private readonly spare: Bucket[] = [];

  constructor(options: TrafficGraphOptions) {
    const { windowSeconds, bucketSeconds = 1 } = options;
    if (!(windowSeconds > 0) || !Number.isFinite(windowSeconds)) throw new RangeError(`windowSeconds must be a positive number, got ${windowSeconds}`);
    if (!(bucketSeconds > 0) || !Number.isFinite(bucketSeconds) || bucketSeconds > windowSeconds) {
      throw new RangeError(`bucketSeconds must be positive and at most windowSeconds, got ${bucketSeconds}`);
    }
    this.windowSeconds = windowSeconds;
    this.bucketSeconds = bucketSeconds;
  }

  /** Adds rows [start, end) of a batch. Rows without hosts (non-IP) are ignored here. */
  add(batch: PacketBatch, start = 0, end = batch.length): void {
    const { time, src, dst, proto, bytes } = batch;
    for (let i = start; i < end; i++) {
      const s = src[i], d = dst[i];
      if (s === NO_HOST || d === NO_HOST) continue;
      if (s >= HOST_LIMIT || d >= HOST_LIMIT) throw new RangeError(`host id beyond ${HOST_LIMIT}`);
      const lo = s < d ? s : d, hi = s < d ? d : s;
      const p = proto[i] < PROTO_COUNT ? proto[i] : PROTO_COUNT - 1;
      const key = (p * HOST_LIMIT + lo) * HOST_LIMIT + hi;
      let e = this.keyToEdge.get(key);
      const b = bytes[i], t = time[i];
      if (e === undefined) e = this.newEdge(key, lo, hi, p, t);
      this.totalBytes[e] += b;
      this.totalPackets[e] += 1;
      if (t > this.newestTime) this.newestTime = t;
      const bucketId = Math.floor(t / this.bucketSeconds);
      if (bucketId <= this.expiredBefore()) continue; // too old for the window
      this.windowBytes[e] += b;
      this.windowPackets[e] += 1;
      if (this.lastBucketOfEdge[e] === bucketId) {
        const bucket = this.bucketFor(bucketId);
        const slot = this.slotOfEdge[e];
        bucket.bytes[slot] += b; bucket.packets[slot] += 1;
      } else {
        const bucket = this.bucketFor(bucketId);
        const slot = this.appendSlot(bucket, e, b);
        this.lastBucketOfEdge[e] = bucketId;
        this.slotOfEdge[e] = slot;
      }
    }
    this.expire();
    this.version++;
  }

  /** Moves the window's end to `time` (capture seconds) without adding packets. */
  advanceTo(time: number): void {
    if (time > this.newestTime) {
      this.newestTime = time;
      if (this.expire()) this.version++;
    }
  }

  /** Edges with traffic in the window, with the capture time each first appeared. */
  windowEdges(): WindowEdges & { firstSeen: Float64Array } {
    let count = 0;
    for (let e = 0; e < this.edgeCount; e++) if (this.windowPackets[e] > 0) count++;
    const out: WindowEdges & { firstSeen: Float64Array } = {
      count, source: new Int32Array(count), target: new Int32Array(count), proto: new Uint8Array(count),
      bytes: new Float64Array(count), packets: new Float64Array(count), firstSeen: new Float64Array(count),
    };
    let k = 0;
    for (let e = 0; e < this.edgeCount; e++) {
      if (this.windowPackets[e] <= 0) continue;
      out.source[k] = this.edgeSource[e]; out.target[k] = this.edgeTarget[e]; out.proto[k] = this.edgeProto[e];
      out.bytes[k] = this.windowBytes[e]; out.packets[k] = this.windowPackets[e]; out.firstSeen[k] = this.edgeFirstSeen[e];
      k++;
    }
    return out;
  }

  /**
   * windowEdges() over only the newest `seconds` of the window (the whole window when `seconds`
   * is at least windowSeconds): the buckets wholly after newestTime - seconds, summed, as the
   * window itself counts them. Fresh arrays each call, edges in the same order.
   */
  recentEdges(seconds: number): WindowEdges & { firstSeen: Float64Array } {
    if (!(seconds > 0)) throw new RangeError(`seconds must be a positive number, got ${seconds}`);
    if (seconds >= this.windowSeconds) return this.windowEdges();
    const after = Math.floor((this.newestTime - seconds) / this.bucketSeconds);
    const n = this.edgeCount;
    const bytes = new Float64Array(n), packets = new Float64Array(n);
    for (const bucket of this.buckets) {
      if (bucket.id <= after) continue;
      for (let k = 0; k < bucket.n; k++) {
        const e = bucket.edge[k];
        bytes[e] += bucket.bytes[k];
        packets[e] += bucket.packets[k];
      }
    }
    let count = 0;
    for (let e = 0; e < n; e++) if (packets[e] > 0) count++;
    const out: WindowEdges & { firstSeen: Float64Array } = {
      count, source: new Int32Array(count), target: new Int32Array(count), proto: new Uint8Array(count),
      bytes: new Float64Array(count), packets: new Float64Array(count), firstSeen: new Float64Array(count),
    };
    let k = 0;
    for (let e = 0; e < n; e++) {
      if (packets[e] <= 0) continue;
      out.source[k] = this.edgeSource[e]; out.target[k] = this.edgeTarget[e]; out.proto[k] = this.edgeProto[e];
      out.bytes[k] = bytes[e]; out.packets[k] = packets[e]; out.firstSeen[k] = this.edgeFirstSeen[e];
      k++;
    }
    return out;
  }

  /** The id of the oldest bucket recentEdges(seconds) sums, less one: it changes when that sum may. */
  recentStart(seconds: number): number {
    return Math.floor((this.newestTime - Math.min(seconds, this.windowSeconds)) / this.bucketSeconds);
  }

  /** Every edge of the capture so far with its cumulative totals. */
  allEdges(): WindowEdges {
    const n = this.edgeCount;
    return {
      count: n, source: this.edgeSource.slice(0, n), target: this.edgeTarget.slice(0, n),
      proto: this.edgeProto.slice(0, n), bytes: this.totalBytes.slice(0, n), packets: this.totalPackets.slice(0, n),
    };
  }

  /** Ids of hosts that ever appeared on an edge, ascending id. */
  seenHosts(): Int32Array {
    const out = new Int32Array(this.hostsSeen);
    let k = 0;
    for (let h = 0; h < this.hostSeen.length && k < out.length; h++) if (this.hostSeen[h]) out[k++] = h;
    return out;
  }

  /** Number of edges and distinct hosts with traffic in the window. */
  windowCounts(): { edges: number; hosts: number } {
    const mark = new Uint8Array(this.hostSeen.length);
    let edges = 0, hosts = 0;
    for (let e = 0; e < this.edgeCount; e++) {
      if (this.windowPackets[e] <= 0) continue;
      edges++;
      const s = this.edgeSource[e], t = this.edgeTarget[e];
      if (!mark[s]) { mark[s] = 1; hosts++; }
      if (!mark[t]) { mark[t] = 1; hosts++; }
    }
    return { edges, hosts };
  }

  private expiredBefore(): number {
    // Buckets with id <= this value lie wholly before the window (newestTime - windowSeconds).
    return Math.floor((this.newestTime - this.windowSeconds) / this.bucketSeconds);
  }

  private expire(): boolean {
    const limit = this.expiredBefore();
    let changed = false;
    while (this.buckets.length > 0 && this.buckets[0].id <= limit) {
      const bucket = this.buckets.shift()!;
      for (let k = 0; k < bucket.n; k++) {
        const e = bucket.edge[k];
        this.windowBytes[e] -= bucket.bytes[k];
        this.windowPackets[e] -= bucket.packets[k];
        if (this.windowPackets[e] <= 0) { this.windowPackets[e] = 0; this.windowBytes[e] = 0; }
        if (this.lastBucketOfEdge[e] === bucket.id) this.lastBucketOfEdge[e] = NaN;
      }
      bucket.n = 0;
      this.spare.push(bucket);
      changed = true;
    }
    return changed;
  }

  private bucketFor(id: number): Bucket {
    const list = this.buckets;
    // Packets arrive mostly in time order: the newest bucket is the usual answer.
    for (let k = list.length - 1; k >= 0; k--) {
      if (list[k].id === id) return list[k];
      if (list[k].id < id) {
        const bucket = this.spare.pop() ?? { id, edge: new Int32Array(256), bytes: new Float64Array(256), packets: new Float64Array(256), n: 0 };
        bucket.id = id;
        list.splice(k + 1, 0, bucket);
        return bucket;
      }
    }
    const bucket = this.spare.pop() ?? { id, edge: new Int32Array(256), bytes: new Float64Array(256), packets: new Float64Array(256), n: 0 };
    bucket.id = id;
    list.unshift(bucket);
    return bucket;
  }

  private appendSlot(bucket: Bucket, e: number, b: number): number {
    if (bucket.n === bucket.edge.length) {
      const cap = bucket.n * 2;
      const edge = new Int32Array(cap); edge.set(bucket.edge); bucket.edge = edge;
      const bytes = new Float64Array(cap); bytes.set(bucket.bytes); bucket.bytes = bytes;
      const packets = new Float64Array(cap); packets.set(bucket.packets); bucket.packets = packets;
    }
    const slot = bucket.n++;
    bucket.edge[slot] = e; bucket.bytes[slot] = b; bucket.packets[slot] = 1;
    return slot;
  }

  private newEdge(key: number, lo: number, hi: number, p: number, t: number): number {
    const e = this.edgeCount++;
    if (e === this.edgeSource.length) this.growEdges();
    this.edgeSource[e] = lo; this.edgeTarget[e] = hi; this.edgeProto[e] = p; this.edgeFirstSeen[e] = t;
    this.keyToEdge.set(key, e);
    this.markHost(lo); this.markHost(hi);
    return e;
  }

  private markHost(h: number): void {
    if (h >= this.hostSeen.length) {
      const grown = new Uint8Array(Math.max(h + 1, this.hostSeen.length * 2));
      grown.set(this.hostSeen); this.hostSeen = grown;
    }
    if (!this.hostSeen[h]) { this.hostSeen[h] = 1; this.hostsSeen++; }
  }

  private growEdges(): void {
    const cap = this.edgeSource.length * 2;
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, fill?: number): T => {
      const g = new (a.constructor as new (n: number) => T)(cap);
      if (fill !== undefined) g.fill(fill);
      g.set(a);
      return g;
    };
    this.edgeSource = grow(this.edgeSource); this.edgeTarget = grow(this.edgeTarget); this.edgeProto = grow(this.edgeProto);
    this.totalBytes = grow(this.totalBytes); this.totalPackets = grow(this.totalPackets); this.edgeFirstSeen = grow(this.edgeFirstSeen);
    this.windowBytes = grow(this.windowBytes); this.windowPackets = grow(this.windowPackets);
    this.lastBucketOfEdge = grow(this.lastBucketOfEdge, NaN); this.slotOfEdge = grow(this.slotOfEdge);
  }
}
