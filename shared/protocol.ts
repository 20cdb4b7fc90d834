// The wire contract between server and page: every message, with a version.
// One message per WebSocket frame. Text frames are JSON (ServerMessage / ClientMessage);
// binary frames are pictures (a fixed header followed by the encoded image bytes) or, for a viewer
// that asks for them, the positions of the hosts a picture draws (each starts with its magic).
import { ramps, type RampName } from './colormaps/index.js';
import { PICTURE_LAYOUTS, type PictureLayout } from './layout/names.js';
import { SHADE_HOWS, type ShadeHow } from './raster/shade.js';
import type { EdgeMode } from './raster/picture.js';
import type { PictureRegion } from './raster/view-region.js';
import { PROTO_NAMES } from './records.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './graph/hosts.js';

export const PROTOCOL_VERSION = 1;

/** Binary frame header: magic, version, encoding, width, height, seq, placing, captureTime. */
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
  /** The host positions message of the hosts drawn (its `placing`); 0: none sent. */
  placing: number;
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
  v.setUint32(20, h.placing);
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
    version, encoding, width: v.getUint32(8), height: v.getUint32(12), seq: v.getUint32(16), placing: v.getUint32(20),
    captureTime: v.getFloat64(24),
  };
}

/**
 * Host positions message (binary; only to a viewer whose hello asks for `hostPositions`): the
 * hosts a graph's pictures draw as dots, in address order (IPv4 first), with their layout
 * coordinates, so the page can tell which host is under its pointer. One per placing of a graph
 * (a window, filters and layout), shared by all its views, sent before the first frame of it
 * that a viewer gets; frames name theirs (FrameHeader.placing). Layout, big-endian u32s:
 * magic, version (u16) and 0 (u16), placing, count, IPv4 count; then count x, count y (the unit
 * square in 2^32 - 1 steps: exact to a hundredth of a pixel at the deepest zoom, half the bytes of
 * float64), the IPv4 addresses, and four words per IPv6 address.
 */
export const HOST_POSITIONS_MAGIC = 0x4e534850; // 'NSHP'
export const HOST_POSITIONS_HEADER_BYTES = 20;
const COORDINATE_STEPS = 0xffffffff;

/** A host positions message, read. Host i is at (x[i], y[i]); its address is hostPositionAddress(p, i). */
export interface HostPositions {
  placing: number;
  count: number;
  /** Hosts 0..v4Count-1 are IPv4 (v4[i]), the rest IPv6 (v6[4(i - v4Count) ..], four words each). */
  v4Count: number;
  x: Float64Array;
  y: Float64Array;
  v4: Uint32Array;
  v6: Uint32Array;
}

/**
 * The message for hosts `ids` (in address order, IPv4 first) at `xy` (x, y interleaved, in the
 * unit square; outside it clamped to it), their addresses read from a host table's family and
 * words columns. `placing` may be set later (setHostPositionsPlacing).
 */
export function encodeHostPositions(placing: number, ids: Int32Array, xy: Float64Array, family: Uint8Array, words: Uint32Array): Uint8Array {
  const count = ids.length;
  if (xy.length !== 2 * count) throw new RangeError(`xy must hold two coordinates per host (${2 * count}), got ${xy.length}`);
  let v4Count = 0;
  while (v4Count < count && family[ids[v4Count]] === 4) v4Count++;
  for (let i = v4Count; i < count; i++) if (family[ids[i]] !== 6) throw new RangeError('ids must be IPv4 hosts, then IPv6 hosts');
  const bytes = new Uint8Array(HOST_POSITIONS_HEADER_BYTES + 4 * (2 * count + v4Count + 4 * (count - v4Count)));
  const v = new DataView(bytes.buffer);
  v.setUint32(0, HOST_POSITIONS_MAGIC);
  v.setUint16(4, PROTOCOL_VERSION);
  v.setUint32(8, placing);
  v.setUint32(12, count);
  v.setUint32(16, v4Count);
  const step = (c: number) => Math.round((c > 0 ? (c < 1 ? c : 1) : 0) * COORDINATE_STEPS);
  let at = HOST_POSITIONS_HEADER_BYTES;
  for (let i = 0; i < count; i++, at += 4) v.setUint32(at, step(xy[2 * i]));
  for (let i = 0; i < count; i++, at += 4) v.setUint32(at, step(xy[2 * i + 1]));
  for (let i = 0; i < v4Count; i++, at += 4) v.setUint32(at, words[4 * ids[i] + 3]);
  for (let i = v4Count; i < count; i++) for (let k = 0; k < 4; k++, at += 4) v.setUint32(at, words[4 * ids[i] + k]);
  return bytes;
}

export function setHostPositionsPlacing(bytes: Uint8Array, placing: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, HOST_POSITIONS_HEADER_BYTES).setUint32(8, placing);
}

/** Whether two host positions messages hold the same hosts at the same places (their placings aside). */
export function sameHostPositions(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength || a.byteLength < HOST_POSITIONS_HEADER_BYTES) return false;
  // Word by word where both are word-aligned (as encoded or received): messages are whole words long.
  if (((a.byteOffset | b.byteOffset) & 3) === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, a.byteLength >> 2), wb = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
    for (let i = 3; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }
  for (let i = 12; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a binary message is a host positions message (else a frame). */
export function isHostPositions(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) === HOST_POSITIONS_MAGIC;
}

/** Reads a host positions message; throws a TypeError naming what is wrong. */
export function readHostPositions(bytes: Uint8Array): HostPositions {
  if (bytes.byteLength < HOST_POSITIONS_HEADER_BYTES) throw new TypeError(`host positions shorter than their ${HOST_POSITIONS_HEADER_BYTES}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0) !== HOST_POSITIONS_MAGIC) throw new TypeError('host positions do not start with the NSHP magic');
  const version = v.getUint16(4);
  if (version !== PROTOCOL_VERSION) throw new TypeError(`host positions protocol version ${version}, expected ${PROTOCOL_VERSION}`);
  const placing = v.getUint32(8), count = v.getUint32(12), v4Count = v.getUint32(16);
  if (v4Count > count) throw new TypeError(`host positions: ${v4Count} IPv4 hosts of ${count}`);
  const expected = HOST_POSITIONS_HEADER_BYTES + 4 * (2 * count + v4Count + 4 * (count - v4Count));
  if (bytes.byteLength !== expected) throw new TypeError(`host positions of ${count} hosts (${v4Count} IPv4) take ${expected} bytes, got ${bytes.byteLength}`);
  const x = new Float64Array(count), y = new Float64Array(count), v4 = new Uint32Array(v4Count), v6 = new Uint32Array(4 * (count - v4Count));
  let at = HOST_POSITIONS_HEADER_BYTES;
  for (let i = 0; i < count; i++, at += 4) x[i] = v.getUint32(at) / COORDINATE_STEPS;
  for (let i = 0; i < count; i++, at += 4) y[i] = v.getUint32(at) / COORDINATE_STEPS;
  for (let i = 0; i < v4.length; i++, at += 4) v4[i] = v.getUint32(at);
  for (let i = 0; i < v6.length; i++, at += 4) v6[i] = v.getUint32(at);
  return { placing, count, v4Count, x, y, v4, v6 };
}

/** Host i's address, as tcpdump prints it. */
export function hostPositionAddress(p: HostPositions, i: number): string {
  if (i < p.v4Count) return formatIPv4(p.v4[i]);
  const o = 4 * (i - p.v4Count);
  return formatIPv6(p.v6[o], p.v6[o + 1], p.v6[o + 2], p.v6[o + 3]);
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
  /** Seconds the last bundle + render took (of one graph's views), or null before the first frame. */
  lastFrameSeconds: number | null;
  /** Distinct views drawn: the server's own, and each other set of viewer settings (or size). */
  views: number;
  /** The server's longest event-loop delay over the last stats interval, in ms. */
  eventLoopMaxMs: number;
  /** How the server's own frames are drawn (the wall's legend; a viewer's own settings come in `view` messages). */
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
  /** First message on a connection: the settings a viewer has until it asks for others (the server's own). */
  | { type: 'hello'; version: number; defaults: ViewerSettings }
  | { type: 'stats'; stats: Stats; rates: RateSample[] }
  /**
   * Sent right before the first frame drawn with settings other than the previous frame's (and
   * before the first frame of all): the frames that follow, until the next `view`, are drawn with
   * `settings` (as the server applied them); `notes` says where it differs from what was asked;
   * `view` names the view for GET /api/export/frame.png?view=VIEW (its newest frame).
   */
  | { type: 'view'; settings: ViewerSettings; notes: string[]; view: string };

/** A viewer's picture area in device pixels: frames follow it when the server runs with --size viewer. */
export interface Viewport { width: number; height: number }
export const VIEWPORT_MIN = 16;
export const VIEWPORT_MAX = 8192;

/**
 * How one viewer's pictures are drawn (the `settings` message). Each viewer has its own; viewers
 * with the same settings share one render. The first five decide which edges are laid out and
 * bundled; the rest only how they are rasterised.
 */
export interface ViewerSettings {
  /** Capture seconds of traffic drawn: the newest part of the server's window (never longer: clamped to it). */
  windowSeconds: number;
  /** Protocols whose edges are drawn, in PROTO_NAMES order. */
  protocols: ProtoName[];
  /** Edges with fewer bytes in the window are left out. */
  minBytes: number;
  /** Only the heaviest this many edges (by bytes in the window) are drawn; 0 draws all. */
  topEdges: number;
  layout: PictureLayout;
  cmap: RampName;
  how: ShadeHow;
  /** Bundled vertices counted as points, or the polylines drawn as lines. */
  mode: EdgeMode;
  /** What a pixel sums: 'count' (edges through it) or 'bytes' (their bytes: a weighted sum). */
  aggregate: ViewAggregate;
  /** Lines drawn antialiased (coverage-weighted); only in mode 'lines'. */
  antialias: boolean;
  /** At most one new picture per this many seconds (when the graph changed). */
  rebundleSeconds: number;
  /** The part of the layout shown, in layout coordinates (the full picture spans -0.01..1.01, y up); null: all of it. */
  region: PictureRegion | null;
  /** An IPv4 or IPv6 address (as canonicalAddress gives it): that host's edges drawn in the highlight colour, its dot ringed; null: none. */
  highlight: string | null;
}

export type ProtoName = (typeof PROTO_NAMES)[number];
export type ViewAggregate = 'count' | 'bytes';
export const VIEW_AGGREGATES: readonly ViewAggregate[] = ['count', 'bytes'];
export const EDGE_MODES: readonly EdgeMode[] = ['points', 'lines'];
/** Bounds of the settings a viewer may ask for. */
export const VIEW_LIMITS = {
  windowSeconds: { min: 0.001, max: 1e9 },
  minBytes: { min: 0, max: 1e15 },
  topEdges: { min: 0, max: 1_000_000 },
  /** A viewer asking for less than min(the server's interval, 0.25 s) gets that (view-settings.ts). */
  rebundleSeconds: { min: 0, max: 600 },
  /** Region corners lie within this range (far beyond the layout, for very wide pictures), and each side spans at least regionMinSpan (a 100,000-fold zoom). */
  regionCoordinate: { min: -1000, max: 1000 },
  regionMinSpan: 1e-5,
} as const;

export type ClientMessage =
  /** `hostPositions`: send this viewer host positions messages (the page hit-tests its picture; the wall does not). */
  | { type: 'hello'; version: number; viewport?: Viewport; hostPositions?: boolean }
  | { type: 'viewport'; viewport: Viewport }
  /** Changes this viewer's settings: the fields given replace its current ones (a fresh viewer has the hello's defaults). */
  | { type: 'settings'; settings: Partial<ViewerSettings> };

/** Checks a message from a viewer; returns it typed, or a reason it is refused. */
export function parseClientMessage(x: unknown): ClientMessage | string {
  if (typeof x !== 'object' || x === null) return 'not an object';
  const m = x as { type?: unknown; version?: unknown; viewport?: unknown; settings?: unknown; hostPositions?: unknown };
  if (m.type === 'settings') {
    const settings = parseSettingsPatch(m.settings);
    return typeof settings === 'string' ? settings : { type: 'settings', settings };
  }
  // Only what a hello says: an absent hostPositions stays absent.
  const hostPositions = m.hostPositions === undefined ? {} : { hostPositions: m.hostPositions as boolean };
  if (m.type === 'hello') {
    if (m.version !== PROTOCOL_VERSION) return `protocol version ${String(m.version)}, expected ${PROTOCOL_VERSION}`;
    if (m.hostPositions !== undefined && typeof m.hostPositions !== 'boolean') return 'hostPositions must be true or false';
    if (m.viewport === undefined) return { type: 'hello', version: PROTOCOL_VERSION, ...hostPositions };
  } else if (m.type !== 'viewport') return `unknown message type ${JSON.stringify(m.type)}`;
  const v = m.viewport as { width?: unknown; height?: unknown } | undefined;
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= VIEWPORT_MIN && n <= VIEWPORT_MAX;
  if (typeof v !== 'object' || v === null || !ok(v.width) || !ok(v.height)) {
    return `viewport must be {width, height}, integers ${VIEWPORT_MIN}..${VIEWPORT_MAX}`;
  }
  const viewport = { width: v.width as number, height: v.height as number };
  return m.type === 'hello' ? { type: 'hello', version: PROTOCOL_VERSION, viewport, ...hostPositions } : { type: 'viewport', viewport };
}

const inRange = (v: unknown, { min, max }: { min: number; max: number }, integer = false): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
const oneOf = <T>(list: readonly T[]) => (v: unknown): v is T => list.includes(v as T);

/** Per field of ViewerSettings: a check, and what it says when the value fails it. */
const SETTING_CHECKS: { [K in keyof ViewerSettings]: [(v: unknown) => boolean, string] } = {
  windowSeconds: [(v) => inRange(v, VIEW_LIMITS.windowSeconds), `a number ${VIEW_LIMITS.windowSeconds.min}..${VIEW_LIMITS.windowSeconds.max}`],
  protocols: [(v) => Array.isArray(v) && v.every(oneOf(PROTO_NAMES)) && new Set(v).size === v.length, `a list of distinct names of ${PROTO_NAMES.join(', ')}`],
  minBytes: [(v) => inRange(v, VIEW_LIMITS.minBytes), `a number ${VIEW_LIMITS.minBytes.min}..${VIEW_LIMITS.minBytes.max}`],
  topEdges: [(v) => inRange(v, VIEW_LIMITS.topEdges, true), `an integer ${VIEW_LIMITS.topEdges.min}..${VIEW_LIMITS.topEdges.max} (0: all)`],
  layout: [oneOf(PICTURE_LAYOUTS), `one of ${PICTURE_LAYOUTS.join(', ')}`],
  cmap: [(v) => typeof v === 'string' && Object.hasOwn(ramps, v), `one of ${Object.keys(ramps).join(', ')}`],
  how: [oneOf(SHADE_HOWS), `one of ${SHADE_HOWS.join(', ')}`],
  mode: [oneOf(EDGE_MODES), `one of ${EDGE_MODES.join(', ')}`],
  aggregate: [oneOf(VIEW_AGGREGATES), `one of ${VIEW_AGGREGATES.join(', ')}`],
  antialias: [(v) => typeof v === 'boolean', 'true or false'],
  rebundleSeconds: [(v) => inRange(v, VIEW_LIMITS.rebundleSeconds), `a number ${VIEW_LIMITS.rebundleSeconds.min}..${VIEW_LIMITS.rebundleSeconds.max}`],
  region: [(v) => v === null || isRegion(v), `null or {x0, y0, x1, y1} within ${VIEW_LIMITS.regionCoordinate.min}..${VIEW_LIMITS.regionCoordinate.max}, each side at least ${VIEW_LIMITS.regionMinSpan}`],
  highlight: [(v) => v === null || (typeof v === 'string' && canonicalAddress(v) !== null), 'null or an IPv4 or IPv6 address'],
};

const addressWords = new Uint32Array(4);
/** An IPv4 or IPv6 address as tcpdump prints it (so one host has one spelling), or null when `text` is neither. */
export function canonicalAddress(text: string): string | null {
  if (text.length > 45) return null;
  const v4 = parseIPv4(text);
  if (v4 >= 0) return formatIPv4(v4);
  if (!parseIPv6(text, addressWords)) return null;
  return formatIPv6(addressWords[0], addressWords[1], addressWords[2], addressWords[3]);
}

function isRegion(v: unknown): v is PictureRegion {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (Object.keys(r).length !== 4) return false;
  const { x0, y0, x1, y1 } = r;
  const c = VIEW_LIMITS.regionCoordinate;
  return [x0, y0, x1, y1].every((n) => inRange(n, c)) &&
    (x1 as number) - (x0 as number) >= VIEW_LIMITS.regionMinSpan && (y1 as number) - (y0 as number) >= VIEW_LIMITS.regionMinSpan;
}

/** Checks the settings of a `settings` message: known fields only, each valid; returns them as given (protocols in PROTO_NAMES order, an address canonical). */
export function parseSettingsPatch(x: unknown): Partial<ViewerSettings> | string {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'settings must be an object';
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(x)) {
    if (!Object.hasOwn(SETTING_CHECKS, name)) return `unknown setting ${JSON.stringify(name).slice(0, 40)}`;
    const [check, what] = SETTING_CHECKS[name as keyof ViewerSettings];
    if (!check(value)) return `setting ${name} must be ${what}`;
    out[name] = name === 'protocols' ? PROTO_NAMES.filter((p) => (value as string[]).includes(p))
      : name === 'region' && value !== null ? { ...(value as PictureRegion) }
      : name === 'highlight' && value !== null ? canonicalAddress(value as string) : value;
  }
  return out as Partial<ViewerSettings>;
}

export function isServerMessage(x: unknown): x is ServerMessage {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return t === 'hello' || t === 'stats' || t === 'view';
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
