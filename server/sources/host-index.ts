// A typed-array index in front of a HostTable's internV4/internV6: an open-addressing hash of
// address -> host id. Every packet looks up two addresses; probing a flat Int32Array is much
// cheaper than the table's Map (whose keys above 2^31 are heap numbers, and whose IPv6 keys
// are strings built per call). Host ids never change once given, so the index stays right
// however many readers share the table. It holds each address the reader has seen.
import type { HostTable } from '../../shared/graph/hosts.js';

const INITIAL_BITS = 10;
const GOLDEN = 0x9e3779b1;
const V6_STRIDE = 5;

export class HostIndex {
  private v4Bits = INITIAL_BITS;
  /** Slot pairs [address as int32, id]: a probe touches one cache line, not two. */
  private v4Slots = new Int32Array(2 << INITIAL_BITS).fill(-1);
  private v4Count = 0;
  private v6Bits = INITIAL_BITS;
  /** Slots of [4 words as int32, id]. */
  private v6Slots = new Int32Array(V6_STRIDE << INITIAL_BITS).fill(-1);
  private v6Count = 0;

  constructor(readonly hosts: HostTable) {}

  /** hosts.internV4(addr), for addr an unsigned 32-bit number. */
  v4(addr: number): number {
    const slots = this.v4Slots, mask = slots.length - 2, key = addr | 0;
    let at = (Math.imul(addr, GOLDEN) >>> (32 - this.v4Bits)) * 2;
    for (let id = slots[at + 1]; id >= 0; id = slots[at + 1]) {
      if (slots[at] === key) return id;
      at = (at + 2) & mask;
    }
    const id = this.hosts.internV4(addr);
    slots[at] = key; slots[at + 1] = id;
    if (++this.v4Count * 4 > slots.length) this.growV4();
    return id;
  }

  /** hosts.internV6(w0, w1, w2, w3), for four unsigned 32-bit words. */
  v6(w0: number, w1: number, w2: number, w3: number): number {
    const slots = this.v6Slots, mask = (1 << this.v6Bits) - 1;
    let slot = v6Hash(w0, w1, w2, w3) >>> (32 - this.v6Bits);
    for (;;) {
      const at = slot * V6_STRIDE, id = slots[at + 4];
      if (id < 0) break;
      if (slots[at + 3] === (w3 | 0) && slots[at + 2] === (w2 | 0) && slots[at + 1] === (w1 | 0) && slots[at] === (w0 | 0)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.hosts.internV6(w0, w1, w2, w3);
    const at = slot * V6_STRIDE;
    slots[at] = w0; slots[at + 1] = w1; slots[at + 2] = w2; slots[at + 3] = w3; slots[at + 4] = id;
    if (++this.v6Count * 2 > mask + 1) this.growV6();
    return id;
  }

  private growV4(): void {
    const old = this.v4Slots;
    const bits = ++this.v4Bits;
    const slots = new Int32Array(2 << bits).fill(-1), mask = slots.length - 2;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] < 0) continue;
      let at = (Math.imul(old[s], GOLDEN) >>> (32 - bits)) * 2;
      while (slots[at + 1] >= 0) at = (at + 2) & mask;
      slots[at] = old[s]; slots[at + 1] = old[s + 1];
    }
    this.v4Slots = slots;
  }

  private growV6(): void {
    const old = this.v6Slots;
    const bits = ++this.v6Bits, mask = (1 << bits) - 1;
    const slots = new Int32Array(V6_STRIDE << bits).fill(-1);
    for (let o = 0; o < old.length; o += V6_STRIDE) {
      if (old[o + 4] < 0) continue;
      let slot = v6Hash(old[o], old[o + 1], old[o + 2], old[o + 3]) >>> (32 - bits);
      while (slots[slot * V6_STRIDE + 4] >= 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(o, o + V6_STRIDE), slot * V6_STRIDE);
    }
    this.v6Slots = slots;
  }
}

function v6Hash(w0: number, w1: number, w2: number, w3: number): number {
  return Math.imul(w0 ^ Math.imul(w1 ^ Math.imul(w2 ^ Math.imul(w3, GOLDEN), GOLDEN), GOLDEN), GOLDEN);
}
