// Whole-capture edge totals for the tables: packets folded into undirected edges keyed by
// (protocol, lower host, higher host), bytes and packets summed, edges in first-seen order.
// TrafficGraph keeps the same totals but also a time window per packet, which a whole-capture
// table never expires; this keeps only the totals, in an open-addressing hash of typed arrays,
// so memory grows with edges, not packets. Pure: no I/O.
import type { WindowEdges } from '../../shared/graph/traffic-graph.js';
import { NO_HOST, PROTO_COUNT, type PacketBatch } from '../../shared/records.js';

const INITIAL_EDGES = 1024;
const EMPTY = -1;

/** The edge key mixed into 32 bits (murmur3's finaliser), so low bits suit a power-of-two table. */
function hash(lo: number, hi: number, p: number): number {
  let x = Math.imul(lo, 0x9e3779b1) ^ hi ^ (p << 28);
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

export class EdgeTotals {
  /** Edges so far. */
  count = 0;
  private source = new Int32Array(INITIAL_EDGES);
  private target = new Int32Array(INITIAL_EDGES);
  private proto = new Uint8Array(INITIAL_EDGES);
  private bytes = new Float64Array(INITIAL_EDGES);
  private packets = new Float64Array(INITIAL_EDGES);
  /** Edge index per hash slot, or EMPTY; at most half full. */
  private slots = new Int32Array(INITIAL_EDGES * 2).fill(EMPTY);

  /** Adds the batch's rows; rows without hosts (non-IP) are not edges and are skipped. */
  add(batch: PacketBatch): void {
    const { src, dst, proto, bytes } = batch;
    const n = batch.length;
    let { source, target, slots } = this;
    let protoOf = this.proto, bytesOf = this.bytes, packetsOf = this.packets, mask = slots.length - 1;
    for (let i = 0; i < n; i++) {
      const s = src[i], d = dst[i];
      if (s === NO_HOST || d === NO_HOST) continue;
      const lo = s < d ? s : d, hi = s < d ? d : s;
      const p = proto[i] < PROTO_COUNT ? proto[i] : PROTO_COUNT - 1;
      let h = hash(lo, hi, p) & mask;
      let e = slots[h];
      while (e !== EMPTY && (source[e] !== lo || target[e] !== hi || protoOf[e] !== p)) {
        h = (h + 1) & mask;
        e = slots[h];
      }
      if (e === EMPTY) {
        e = this.newEdge(h, lo, hi, p);
        // A new edge may have grown the arrays.
        ({ source, target, slots } = this);
        protoOf = this.proto; bytesOf = this.bytes; packetsOf = this.packets; mask = slots.length - 1;
      }
      bytesOf[e] += bytes[i];
      packetsOf[e] += 1;
    }
  }

  /** Every edge with its totals, in first-seen order (fresh arrays: the caller may keep them). */
  edges(): WindowEdges {
    const n = this.count;
    return {
      count: n, source: this.source.slice(0, n), target: this.target.slice(0, n), proto: this.proto.slice(0, n),
      bytes: this.bytes.slice(0, n), packets: this.packets.slice(0, n),
    };
  }

  private newEdge(slot: number, lo: number, hi: number, p: number): number {
    const e = this.count++;
    if (e === this.source.length) this.grow();
    this.source[e] = lo; this.target[e] = hi; this.proto[e] = p;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.slots[slot] = e;
    return e;
  }

  private grow(): void {
    const cap = this.source.length * 2;
    const source = new Int32Array(cap); source.set(this.source); this.source = source;
    const target = new Int32Array(cap); target.set(this.target); this.target = target;
    const proto = new Uint8Array(cap); proto.set(this.proto); this.proto = proto;
    const bytes = new Float64Array(cap); bytes.set(this.bytes); this.bytes = bytes;
    const packets = new Float64Array(cap); packets.set(this.packets); this.packets = packets;
  }

  /** Doubles the slots and places every edge (the newest included) again. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let h = hash(this.source[e], this.target[e], this.proto[e]) & mask;
      while (slots[h] !== EMPTY) h = (h + 1) & mask;
      slots[h] = e;
    }
    this.slots = slots;
  }
}
