// The wire contract between server and page: every message, with a version.
// One message per WebSocket frame. Text frames are JSON (ServerMessage / ClientMessage);
// binary frames are pictures: a fixed header followed by the encoded image bytes.

export const PROTOCOL_VERSION = 1;

/** Binary frame header: magic, version, encoding, width, height, seq, captureTime. */
export const FRAME_MAGIC = 0x4e534631; // 'NSF1'
export const FRAME_HEADER_BYTES = 32;
/**
 * How the image after the header is encoded. png: a PNG file (the server sends a palette PNG, RGB
 * past 256 colours: bench/encode-frame.ts measured it the fastest to make of the small
 * encodings, and the browser decodes it natively, off the main thread).
 */
export const FrameEncoding = { png: 1 } as const;
export type FrameEncodingCode = (typeof FrameEncoding)[keyof typeof FrameEncoding];

export interface FrameHeader {
  version: number;
  encoding: FrameEncodingCode;
  width: number;
  height: number;
  /** Frame sequence number, increasing per server run. */
  seq: number;
  /** Capture time (seconds) of the newest packet in the picture. */
  captureTime: number;
}

export function writeFrameHeader(h: FrameHeader, out: Uint8Array): void {
  if (out.byteLength < FRAME_HEADER_BYTES) throw new RangeError('frame header buffer too small');
  const v = new DataView(out.buffer, out.byteOffset, FRAME_HEADER_BYTES);
  v.setUint32(0, FRAME_MAGIC);
  v.setUint16(4, h.version);
  v.setUint16(6, h.encoding);
  v.setUint32(8, h.width);
  v.setUint32(12, h.height);
  v.setUint32(16, h.seq);
  v.setUint32(20, 0);
  v.setFloat64(24, h.captureTime);
}

/** Reads a frame header; throws a TypeError naming what is wrong. */
export function readFrameHeader(bytes: Uint8Array): FrameHeader {
  if (bytes.byteLength < FRAME_HEADER_BYTES) throw new TypeError(`frame shorter than its ${FRAME_HEADER_BYTES}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  if (v.getUint32(0) !== FRAME_MAGIC) throw new TypeError('frame does not start with the NSF1 magic');
  const version = v.getUint16(4);
  if (version !== PROTOCOL_VERSION) throw new TypeError(`frame protocol version ${version}, expected ${PROTOCOL_VERSION}`);
  const encoding = v.getUint16(6);
  if (encoding !== FrameEncoding.png) throw new TypeError(`unknown frame encoding ${encoding}`);
  return {
    version, encoding, width: v.getUint32(8), height: v.getUint32(12), seq: v.getUint32(16),
    captureTime: v.getFloat64(24),
  };
}

/** Per-second traffic sample, keyed by capture time. */
export interface RateSample {
  /** Capture time (seconds) at the start of the second. */
  t: number;
  bytes: number;
  packets: number;
  /** Bytes and packets of graphed packets per protocol class, in PROTO_NAMES order (tcp, udp, icmp, other). */
  protoBytes: number[];
  protoPackets: number[];
  /** Hosts seen for the first time in that second. */
  newHosts: number;
}

export interface CaptureCounters {
  received: number;
  dropped: number | null;
  ifDropped: number | null;
}

/** The replay clock's state, as the controls show it. */
export interface ReplayState {
  paused: boolean;
  speed: number | 'max';
  loop: boolean;
  /** Capture time range (seconds), known after the first full pass; null before. */
  start: number | null;
  end: number | null;
  /** Whether the source can seek and loop (stdin and live sources cannot). */
  seekable: boolean;
}

/** A replay control request (POST /api/replay, or the `replay` message). */
export type ReplayCommand =
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'speed'; speed: number | 'max' }
  | { action: 'seek'; time: number }
  | { action: 'loop'; loop: boolean };

/** Counters shared by GET /api/stats and the `stats` message. */
export interface Stats {
  /** Packets read from the source (every frame/line that is a packet, graphed or not). */
  packets: number;
  /** Layer-4 payload bytes of graphed packets. */
  bytes: number;
  /** Hosts seen so far (cumulative). */
  hosts: number;
  /** Hosts and edges in the current window. */
  windowHosts: number;
  edges: number;
  /** Edges over the whole capture so far. */
  totalEdges: number;
  /** Capture time (seconds) of the newest released packet; null before the first. */
  captureTime: number | null;
  /** Length of the sliding window, capture seconds. */
  windowSeconds: number;
  framesSent: number;
  framesDropped: number;
  viewers: number;
  /** Lines/packets not graphed, by reason. */
  skipped: Record<string, number>;
  /** Source description and state. */
  source: string;
  sourceDone: boolean;
  /** Source problem worth showing (truncated file, tcpdump exit ...), or null. */
  warning: string | null;
  speed: number | 'max';
  replay: ReplayState;
  /** libpcap's counters for a live capture (null where it cannot tell); null for files. */
  capture: CaptureCounters | null;
  /** Seconds the last bundle + render took, or null before the first frame. */
  lastFrameSeconds: number | null;
  /** The server's longest event-loop delay over the last stats interval, in ms. */
  eventLoopMaxMs: number;
  /** How the frames are drawn (for the page's legend). */
  picture: PictureSettings;
}

export interface PictureSettings {
  how: string;
  /** Ramp name (shared/colormaps): of the edges, or of the tcp layer with `layers`. */
  cmap: string;
  layers: boolean;
  layout: string;
  newEdges: boolean;
  /** Address of the highlighted host, or null. */
  highlight: string | null;
}

export type ServerMessage =
  | { type: 'hello'; version: number }
  | { type: 'stats'; stats: Stats; rates: RateSample[] };

/** A viewer's picture area in device pixels: frames follow it when the server runs with --size viewer. */
export interface Viewport { width: number; height: number }
export const VIEWPORT_MIN = 16;
export const VIEWPORT_MAX = 8192;

export type ClientMessage =
  | { type: 'hello'; version: number; viewport?: Viewport }
  | { type: 'viewport'; viewport: Viewport };

/** Checks a message from a viewer; returns it typed, or a reason it is refused. */
export function parseClientMessage(x: unknown): ClientMessage | string {
  if (typeof x !== 'object' || x === null) return 'not an object';
  const m = x as { type?: unknown; version?: unknown; viewport?: unknown };
  if (m.type === 'hello') {
    if (m.version !== PROTOCOL_VERSION) return `protocol version ${String(m.version)}, expected ${PROTOCOL_VERSION}`;
    if (m.viewport === undefined) return { type: 'hello', version: PROTOCOL_VERSION };
  } else if (m.type !== 'viewport') return `unknown message type ${JSON.stringify(m.type)}`;
  const v = m.viewport as { width?: unknown; height?: unknown } | undefined;
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= VIEWPORT_MIN && n <= VIEWPORT_MAX;
  if (typeof v !== 'object' || v === null || !ok(v.width) || !ok(v.height)) {
    return `viewport must be {width, height}, integers ${VIEWPORT_MIN}..${VIEWPORT_MAX}`;
  }
  const viewport = { width: v.width as number, height: v.height as number };
  return m.type === 'hello' ? { type: 'hello', version: PROTOCOL_VERSION, viewport } : { type: 'viewport', viewport };
}

export function isServerMessage(x: unknown): x is ServerMessage {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return t === 'hello' || t === 'stats';
}

/** GET /api/host/ADDRESS: one host's traffic in the window. */
export interface HostDetailReply {
  address: string;
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  /** Busiest peers, most bytes (both ways) first. */
  peers: { address: string; bytes: number; packets: number }[];
  /** Ports on this host's side and on the peer's side, most bytes first. */
  localPorts: { port: number; protocol: string; bytes: number; packets: number }[];
  remotePorts: { port: number; protocol: string; bytes: number; packets: number }[];
  /** Capture second of the first entry of the per-second series. */
  seriesStart: number;
  bytesOutPerSecond: number[];
  bytesInPerSecond: number[];
}

/** GET /api/talkers: the window's top hosts and host pairs by bytes. */
export interface TalkersReply {
  hosts: { address: string; bytes: number; packets: number }[];
  pairs: { a: string; b: string; bytes: number; packets: number }[];
}

/** GET /api/hosts?cidr=BLOCK: the window's hosts in an address block, most bytes first. */
export interface HostsReply {
  cidr: string;
  hosts: { address: string; bytes: number; packets: number }[];
  /** Hosts in the block in all (the list holds the top ones). */
  total: number;
}
