// Packet records: the one stream every source produces, as columnar batches.
// A batch is owned by its producer and may be reused after the consumer returns,
// so consumers copy what they keep.

/** Protocol classes that edges are keyed by. Values index per-protocol arrays. */
export const Proto = { tcp: 0, udp: 1, icmp: 2, other: 3 } as const;
export type ProtoCode = (typeof Proto)[keyof typeof Proto];
export const PROTO_NAMES = ['tcp', 'udp', 'icmp', 'other'] as const;
export const PROTO_COUNT = 4;

/** Host id meaning "this packet has no IP endpoints" (ARP, LLDP ...): counted, not graphed. */
export const NO_HOST = -1;
/** Port value for packets without ports (ICMP, fragments, non-IP). */
export const NO_PORT = -1;

export interface PacketBatch {
  /** Number of valid rows; columns may be longer (capacity). */
  length: number;
  /** Capture time in seconds (epoch seconds for captures; seconds of day for dateless tcpdump text). */
  time: Float64Array;
  /** Host ids from the source's HostTable, or NO_HOST. */
  src: Int32Array;
  dst: Int32Array;
  srcPort: Int32Array;
  dstPort: Int32Array;
  /** ProtoCode. */
  proto: Uint8Array;
  /** Layer-4 payload bytes, as `tcpdump -q` prints them (tcp N, UDP length N, ICMP length N). */
  bytes: Float64Array;
}

export function createPacketBatch(capacity: number): PacketBatch {
  if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  return {
    length: 0,
    time: new Float64Array(capacity),
    src: new Int32Array(capacity),
    dst: new Int32Array(capacity),
    srcPort: new Int32Array(capacity),
    dstPort: new Int32Array(capacity),
    proto: new Uint8Array(capacity),
    bytes: new Float64Array(capacity),
  };
}

/** Appends one record; the caller checks capacity first (hot path: no checks here). */
export function pushRecord(
  b: PacketBatch, time: number, src: number, dst: number,
  srcPort: number, dstPort: number, proto: number, bytes: number,
): void {
  const i = b.length++;
  b.time[i] = time; b.src[i] = src; b.dst[i] = dst;
  b.srcPort[i] = srcPort; b.dstPort[i] = dstPort; b.proto[i] = proto; b.bytes[i] = bytes;
}

/** Copies the valid rows into a new batch sized to fit (for consumers that keep records). */
export function copyBatch(b: PacketBatch): PacketBatch {
  const n = Math.max(1, b.length);
  const c = createPacketBatch(n);
  c.length = b.length;
  c.time.set(b.time.subarray(0, b.length)); c.src.set(b.src.subarray(0, b.length));
  c.dst.set(b.dst.subarray(0, b.length)); c.srcPort.set(b.srcPort.subarray(0, b.length));
  c.dstPort.set(b.dstPort.subarray(0, b.length)); c.proto.set(b.proto.subarray(0, b.length));
  c.bytes.set(b.bytes.subarray(0, b.length));
  return c;
}

/**
 * Why a line or packet was not turned into a graphed record. Counted per source and reported
 * in /api/stats, so nothing is dropped silently.
 */
export const SKIP_REASONS = [
  'malformed',      // a line/record that could not be parsed at all
  'non-ip',         // ARP, LLDP, STP ... (counted as packets, not graphed)
  'continuation',   // tcpdump hex-dump / wrapped continuation lines
  'unsupported-link', // link type we do not decode
  'truncated',      // captured bytes end before the headers we need
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type SkipCounts = Record<SkipReason, number>;
export function emptySkipCounts(): SkipCounts {
  return { malformed: 0, 'non-ip': 0, continuation: 0, 'unsupported-link': 0, truncated: 0 };
}
