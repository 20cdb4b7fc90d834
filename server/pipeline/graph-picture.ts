// Graph -> picture, as one pure composition of the stages: order hosts by address, lay
// them out (on a circle by default), bundle the edges (or keep them straight), rasterise and
// shade. Used by the picture worker (live frames, encoded as PNG here: paintFrame) and by
// `netshade render` (still pictures: paint), so both draw the same thing.
import { sortHostsByAddress } from '../../shared/graph/hosts.js';
import { circularLayout } from '../../shared/layout/circular.js';
import { fitUnitSquare, forceLayoutUnfitted } from '../../shared/layout/force.js';
import { randomLayout } from '../../shared/layout/random.js';
import { BUNDLE_DEFAULTS, hammerBundle, type BundleResult, type BundleState, type WarmStart } from '../../shared/bundle/hammer.js';
import type { RampName } from '../../shared/colormaps/index.js';
import { canvasSpec, type CanvasSpec } from '../../shared/raster/canvas.js';
import { SHADE_HOWS } from '../../shared/raster/shade.js';
import {
  renderFrame, renderPicture, createPictureBuffers, checkPictureOptions, HIGHLIGHT_HOST, HIGHLIGHT_NEW, HOST_SPREAD_PX,
  type HostDots, type PictureBuffers, type PictureInput,
} from '../../shared/raster/picture.js';
import { PICTURE_LAYOUTS, type PictureLayout } from '../../shared/layout/names.js';
import { regionRanges, squareRanges, type PictureRegion } from '../../shared/raster/view-region.js';
import { mulberry32 } from '../sources/demo-traffic.js';
import type { FramePngEncoder } from '../export/png.js';

export type ShadeHow = 'eq_hist' | 'log' | 'linear' | 'cbrt';
export type EdgeMode = 'points' | 'lines';
export type { HostDots };
export { PICTURE_LAYOUTS, type PictureLayout };
/** Strong gravity: parts of the graph not linked to the rest stay near it (force.ts). */
const FORCE_PARAMS = { strongGravity: true } as const;
/**
 * Iterations of a force layout warm-started with most hosts placed (the default's 100 from the
 * circle): they only settle what changed, at a fifth of the cost (100 iterations take seconds
 * for thousands of hosts).
 */
const FORCE_WARM_ITERATIONS = 20;
/** The random layout's seed: the same host gets the same place in every frame and every run. */
export const RANDOM_LAYOUT_SEED = 2012;

export { regionRanges, squareRanges, type PictureRegion };
export interface GraphPictureInput {
  /** Host ids to lay out (all hosts of the capture so far). */
  hostIds: Int32Array;
  /** The host table's family and words columns (see HostTable), covering hostIds. */
  hostFamily: Uint8Array;
  hostWords: Uint32Array;
  /** Edges as host ids, with weights (bytes). */
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
  /** Protocol code (records.ts `Proto`) of each edge; needed with `layers`. */
  edgeProto?: Uint8Array;
  /** Host ids drawn as red dots. */
  activeHosts: Int32Array;
  width: number;
  height: number;
  how: ShadeHow;
  /** Bundled vertices as points (the reference) or as polylines. */
  mode: EdgeMode;
  /** false draws straight edges. */
  bundle: boolean;
  /** Ramp of the edges (of the tcp layer with `layers`); default 'fire'. */
  cmap?: RampName;
  /** '#rrggbb'; default '#000000'. */
  background?: string;
  /** One edge layer per protocol, each its own ramp (LAYER_RAMPS); default false. */
  layers?: boolean;
  /** Default 'circular' (hosts by address round a circle); 'force' (ForceAtlas2, warm-started from the previous frame's); 'random' (seeded, a fixed place per host id). */
  layout?: PictureLayout;
  /** 'fixed' (default) or 'traffic': dots grow with the host's bytes (the sum of its edges' weights). */
  hostDots?: HostDots;
  /** Per edge, non-zero for an edge new in the current window: drawn in NEW_EDGE_COLOR. */
  highlightEdges?: Uint8Array;
  /** A host id whose edges are drawn in HIGHLIGHT_COLOR and whose dot is ringed; -1 (default) none. A host not laid out highlights nothing. */
  highlightHost?: number;
  /** The part of the layout shown, in its unit-square coordinates; default all of it (-0.01..1.01, widened to the canvas's aspect). */
  region?: PictureRegion;
  /** What a pixel sums: 'count' (default: edges through it) or 'bytes' (their edgeWeight: a weighted sum). */
  aggregate?: PictureAggregate;
  /** With mode 'lines': antialiased lines (coverage-weighted); default false. */
  antialias?: boolean;
}

export type PictureAggregate = 'count' | 'bytes';
export const PICTURE_AGGREGATES: readonly PictureAggregate[] = ['count', 'bytes'];

/** How placed and bundled hosts and edges are drawn: what may differ between pictures of one layout and bundling. */
export type RasterOptions = Partial<Pick<GraphPictureInput,
  'width' | 'height' | 'how' | 'mode' | 'cmap' | 'background' | 'layers' | 'hostDots' | 'highlightHost' | 'region' | 'aggregate' | 'antialias'>>;

export interface GraphPicture {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  bundleMs: number;
  renderMs: number;
  vertices: number;
}

/** A live frame: the picture encoded as PNG (drawFramePng). */
export interface GraphFrame {
  png: Buffer;
  width: number;
  height: number;
  bundleMs: number;
  renderMs: number;
  encodeMs: number;
  vertices: number;
}

/** A GraphPictureInput less its hosts and edges: how to draw them. */
export type GraphPictureOptions = Omit<GraphPictureInput, 'hostIds' | 'hostFamily' | 'hostWords' | 'edgeSource' | 'edgeTarget' | 'edgeWeight' | 'edgeProto' | 'activeHosts' | 'highlightEdges'>;

/** Checks how a picture is to be drawn (RangeError naming the option), before any work is done. */
export function checkGraphPictureOptions(options: GraphPictureOptions): void {
  const { width, height } = options;
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  if (!SHADE_HOWS.includes(options.how)) throw new RangeError(`how must be one of ${SHADE_HOWS.join(', ')}, got ${String(options.how)}`);
  if (options.mode !== 'points' && options.mode !== 'lines') throw new RangeError(`mode must be 'points' or 'lines', got ${String(options.mode)}`);
  if (typeof options.bundle !== 'boolean') throw new RangeError(`bundle must be a boolean, got ${String(options.bundle)}`);
  checkPictureOptions(options);
  const layout = options.layout ?? 'circular';
  if (!PICTURE_LAYOUTS.includes(layout)) throw new RangeError(`layout must be one of ${PICTURE_LAYOUTS.join(', ')}, got ${String(layout)}`);
  const host = options.highlightHost ?? -1;
  if (!Number.isInteger(host) || host < -1) throw new RangeError(`highlightHost must be a host id or -1, got ${host}`);
  if (options.region !== undefined) regionRanges(width, height, options.region);
  const aggregate = options.aggregate ?? 'count';
  if (!PICTURE_AGGREGATES.includes(aggregate)) throw new RangeError(`aggregate must be 'count' or 'bytes', got ${String(aggregate)}`);
  if (typeof (options.antialias ?? false) !== 'boolean') throw new RangeError(`antialias must be a boolean, got ${String(options.antialias)}`);
}

/** Checks a GraphPictureInput's options and per-edge arrays (RangeError naming the option). */
export function checkGraphPictureInput(input: GraphPictureInput): void {
  checkGraphPictureOptions(input);
  const edges = input.edgeSource.length;
  if (input.edgeTarget.length !== edges || input.edgeWeight.length !== edges) {
    throw new RangeError(`edgeTarget and edgeWeight must have one entry per edge (${edges}), got ${input.edgeTarget.length} and ${input.edgeWeight.length}`);
  }
  if (input.edgeProto !== undefined && !(input.edgeProto instanceof Uint8Array && input.edgeProto.length === edges)) {
    throw new RangeError(`edgeProto must be a Uint8Array of one protocol code per edge (${edges})`);
  }
  if (input.layers && input.edgeProto === undefined) throw new RangeError('edgeProto is needed with layers');
  if (input.highlightEdges !== undefined && !(input.highlightEdges instanceof Uint8Array && input.highlightEdges.length === edges)) {
    throw new RangeError(`highlightEdges must be a Uint8Array of one flag per edge (${edges})`);
  }
}

/** Whether the picture's edges are bundled: asked for, and not more than bundling takes (else straight). */
export function bundles(input: GraphPictureInput): boolean {
  return input.bundle && input.edgeSource.length <= BUNDLE_DEFAULTS.maxEdges;
}

/** Bundles edges between placed hosts, as hammerBundle does, possibly elsewhere (the picture worker's ParallelBundler). */
export interface EdgeBundler {
  /** With `warm`, starting from the last bundling's state (shared/bundle/warm.ts). */
  bundle(nodeXY: Float64Array, source: Int32Array, target: Int32Array, weights: Float64Array, warm?: WarmStart): Promise<BundleResult>;
  /** Takes back a state, and the result it came with, that the painter reads no more: their memory may be reused. */
  release(state: BundleState): void;
}

/** Host ids up to this keep edge keys exact in a float64 ((lo * 2^25 + hi) * 8 + protocol < 2^53). */
const KEYED_HOST_IDS = 2 ** 25;

/**
 * A key per edge that stays the same from one window to the next: its two host ids (which
 * the host table never reuses) and its protocol. Null when the keys would not be unique (a
 * graph that repeats an edge) or exact (host ids past KEYED_HOST_IDS): bundle cold then.
 */
export function edgeKeys(input: GraphPictureInput): Float64Array | null {
  const { edgeSource, edgeTarget, edgeProto } = input;
  const keys = new Float64Array(edgeSource.length);
  for (let e = 0; e < keys.length; e++) {
    const a = edgeSource[e], b = edgeTarget[e];
    const lo = a < b ? a : b, hi = a < b ? b : a;
    if (lo < 0 || hi >= KEYED_HOST_IDS) return null;
    keys[e] = (lo * KEYED_HOST_IDS + hi) * 8 + (edgeProto === undefined ? 0 : edgeProto[e] & 7);
  }
  const sorted = Float64Array.from(keys).sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return null;
  return keys;
}

/** Hosts in address order and laid out, edges as host ranks. */
interface Placed { order: Int32Array; rankOf: Int32Array; source: Int32Array; target: Int32Array; nodeXY: Float64Array }

/** The edges as the rasteriser takes them (bundled or straight polylines), with the input edge of each. */
interface EdgeLines { points: Float64Array; offsets: Uint32Array; polylines: number; edgeOf: Int32Array }

/** What the rasteriser draws, and how long placing and bundling took. */
interface LaidOut { spec: CanvasSpec; picture: PictureInput; buffers: PictureBuffers; bundleMs: number; vertices: number }

/** Several pictures of one graph, placed and bundled once (paintFramesWith). */
export interface GraphFrames {
  frames: GraphFrame[];
  /** Placing and bundling, once for all of them (0 when reused). */
  bundleMs: number;
  /** The hosts they draw as dots and where (the page's hit-testing), alike for all of them. */
  hosts: DrawnHosts;
}

/** Hosts drawn as dots (laid out and active), in address order, and their layout coordinates (x, y interleaved). */
export interface DrawnHosts { ids: Int32Array; xy: Float64Array }

/**
 * Raster buffers by picture size, the most recently used kept: a set is tens of bytes a pixel
 * (hundreds of MB for a wall), so a painter drawing several sizes keeps only a few.
 */
export class PictureBufferPool {
  private readonly sets = new Map<string, PictureBuffers>();

  constructor(private readonly maxSets = 1) {
    if (!Number.isInteger(maxSets) || maxSets < 1) throw new RangeError(`maxSets must be a positive integer, got ${maxSets}`);
  }

  get(width: number, height: number): PictureBuffers {
    const key = `${width}x${height}`;
    let buffers = this.sets.get(key);
    if (buffers !== undefined) this.sets.delete(key);
    else {
      // The least recently used go first, so that the new set is not made on top of them.
      for (const old of this.sets.keys()) {
        if (this.sets.size < this.maxSets) break;
        this.sets.delete(old);
      }
      buffers = createPictureBuffers(width, height);
    }
    this.sets.set(key, buffers);
    return buffers;
  }
}

/**
 * Keeps raster buffers between frames (from a pool, possibly shared), the force layout's last
 * positions, and the last graph it placed and bundled under a caller's stamp.
 */
export class GraphPainter {
  /** Per host id, its place in the last force layout, unfitted (the next one's start), and whether it has one. */
  private forceXY = new Float64Array(0);
  private forcePlaced = new Uint8Array(0);
  private reusable: { stamp: string; placed: Placed; lines: EdgeLines } | null = null;
  /** The last live bundling's state and the layout it was made on: the next one starts from it (warm.ts). */
  private bundled: { layout: PictureLayout; state: BundleState } | null = null;

  constructor(private readonly pool = new PictureBufferPool()) {}

  /** The picture as RGBA (still pictures). */
  paint(input: GraphPictureInput, now: () => number = () => performance.now()): GraphPicture {
    const { spec, picture, buffers, bundleMs, vertices } = this.layout(input, now);
    const t0 = now();
    const rgba = renderPicture(spec, picture, buffers);
    return { rgba, width: input.width, height: input.height, bundleMs, renderMs: now() - t0, vertices };
  }

  /** The picture as a live frame's PNG. */
  paintFrame(input: GraphPictureInput, encoder: FramePngEncoder, now: () => number = () => performance.now()): GraphFrame {
    return this.frameOf(input, this.layout(input, now), encoder, now);
  }

  /**
   * Live frames of one graph, one per entry of `views` (each drawn as { ...input, ...view }),
   * the hosts placed and the edges bundled once for all of them, by `bundler` (the picture
   * worker's ParallelBundler, which bundles on worker threads of its own). With a `stamp`, a call
   * with the stamp of the last call reuses that call's placing and bundling: the caller stamps
   * alike only graphs that are alike (hosts, edges, weights, layout, bundle).
   */
  async paintFramesWith(
    input: GraphPictureInput, views: readonly RasterOptions[], encoder: FramePngEncoder, bundler: EdgeBundler,
    stamp?: string, now: () => number = () => performance.now(),
  ): Promise<GraphFrames> {
    const drawn = views.map((view) => ({ ...input, ...view }));
    for (const d of drawn) checkGraphPictureInput(d);
    const t0 = now();
    let reused = this.reusable;
    if (reused === null || stamp === undefined || reused.stamp !== stamp) {
      this.reusable = null;
      const placed = this.place(input);
      const bundled = bundles(input) ? await this.bundleWarm(input, placed, bundler) : null;
      reused = { stamp: stamp ?? '', placed, lines: edgeLines(placed, bundled) };
      if (stamp !== undefined) this.reusable = reused;
    }
    const bundleMs = now() - t0;
    const frames = drawn.map((d) => this.frameOf(d, this.compose(d, reused.placed, reused.lines, bundleMs), encoder, now));
    return { frames, bundleMs, hosts: drawnHosts(reused.placed, input.activeHosts) };
  }

  /**
   * Bundles a live graph from the last one's bundling when it was made on the same layout
   * (edges that stayed keep their lines, so the picture stays steady), keeping this one's
   * state for the next.
   */
  private async bundleWarm(input: GraphPictureInput, placed: Placed, bundler: EdgeBundler): Promise<BundleResult> {
    const layout = input.layout ?? 'circular';
    const keys = edgeKeys(input);
    const last = this.bundled;
    this.bundled = null;
    try {
      if (keys === null) return await bundler.bundle(placed.nodeXY, placed.source, placed.target, input.edgeWeight);
      const previous = last !== null && last.layout === layout ? last.state : null;
      const result = await bundler.bundle(placed.nodeXY, placed.source, placed.target, input.edgeWeight, { keys, previous });
      if (result.state !== undefined) this.bundled = { layout, state: result.state };
      return result;
    } finally {
      // Its lines were drawn and let go (paintFramesWith), and the bundling has read it.
      if (last !== null) bundler.release(last.state);
    }
  }

  private frameOf(input: GraphPictureInput, laidOut: LaidOut, encoder: FramePngEncoder, now: () => number): GraphFrame {
    const { spec, picture, buffers, bundleMs, vertices } = laidOut;
    const { png, renderMs, encodeMs } = drawFramePng(spec, picture, buffers, encoder, now);
    return { png, width: input.width, height: input.height, bundleMs, renderMs, encodeMs, vertices };
  }

  /** Orders the hosts, lays them out, bundles the edges: what the rasteriser draws. */
  private layout(input: GraphPictureInput, now: () => number): LaidOut {
    checkGraphPictureInput(input);
    const t0 = now();
    const placed = this.place(input);
    const bundled = bundles(input) ? hammerBundle(placed.nodeXY, placed.source, placed.target, input.edgeWeight) : null;
    const lines = edgeLines(placed, bundled);
    return this.compose(input, placed, lines, now() - t0);
  }

  /** Orders the hosts and lays them out; edges as host ranks. */
  private place(input: GraphPictureInput): Placed {
    const order = sortHostsByAddress(Int32Array.from(input.hostIds), input.hostFamily, input.hostWords);
    let maxId = -1;
    for (let i = 0; i < order.length; i++) if (order[i] > maxId) maxId = order[i];
    for (let i = 0; i < input.activeHosts.length; i++) if (input.activeHosts[i] > maxId) maxId = input.activeHosts[i];
    const rankOf = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < order.length; i++) rankOf[order[i]] = i;

    const edgeCount = input.edgeSource.length;
    const source = new Int32Array(edgeCount), target = new Int32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) {
      source[e] = rankOf[input.edgeSource[e]] ?? -1;
      target[e] = rankOf[input.edgeTarget[e]] ?? -1;
    }
    const nodeXY = this.placeHosts(input.layout ?? 'circular', order, source, target);
    return { order, rankOf, source, target, nodeXY };
  }

  /** The placed hosts and edge lines, drawn as `input` says, ready to rasterise. */
  private compose(input: GraphPictureInput, placed: Placed, lines: EdgeLines, bundleMs: number): LaidOut {
    const { width, height } = input;
    const { order, rankOf, source, target, nodeXY } = placed;
    const { points, offsets, polylines, edgeOf } = lines;
    const active = new Int32Array(input.activeHosts.length);
    let activeCount = 0;
    for (let i = 0; i < input.activeHosts.length; i++) {
      const r = rankOf[input.activeHosts[i]];
      if (r !== undefined && r >= 0) active[activeCount++] = r;
    }
    const spec = canvasSpec({ width, height, ...regionRanges(width, height, input.region) });
    const buffers = this.pool.get(width, height);
    const highlightRank = input.highlightHost === undefined || input.highlightHost < 0 ? -1 : rankOf[input.highlightHost] ?? -1;
    const picture: PictureInput = {
      edgePoints: points, edgeOffsets: offsets, edgeCount: polylines, mode: input.mode, how: input.how,
      hostXY: nodeXY, activeHosts: active, activeCount, hostSpreadPx: hostSpreadFor(width, height),
      cmap: input.cmap, background: input.background, layers: input.layers, hostDots: input.hostDots,
      highlightHost: highlightRank, antialias: input.antialias,
    };
    if (input.layers) picture.edgeProto = perPolyline(input.edgeProto!, edgeOf);
    if (input.aggregate === 'bytes') picture.edgeWeights = perPolylineWeights(input.edgeWeight, edgeOf);
    if (input.hostDots === 'traffic') picture.hostBytes = hostBytes(order.length, source, target, input.edgeWeight);
    if (input.highlightEdges !== undefined || highlightRank >= 0) {
      picture.highlightEdges = highlightMarks(edgeOf, input.highlightEdges, source, target, highlightRank);
    }
    return { spec, picture, buffers, bundleMs, vertices: points.length / 2 };
  }

  /** Host positions by rank (x, y interleaved), in the unit square. */
  private placeHosts(layout: PictureLayout, order: Int32Array, source: Int32Array, target: Int32Array): Float64Array {
    const n = order.length;
    // No hosts: one unused place, so that the rasteriser's host positions are never empty.
    if (n === 0 || layout === 'circular') return circularLayout(Math.max(n, 1));
    let maxId = 0;
    for (let r = 0; r < n; r++) if (order[r] > maxId) maxId = order[r];
    const xy = new Float64Array(2 * n);
    if (layout === 'random') {
      // mulberry32 gives the same sequence every time: host id i always gets draws 2i and 2i + 1.
      const byId = randomLayout(maxId + 1, mulberry32(RANDOM_LAYOUT_SEED));
      for (let r = 0; r < n; r++) {
        xy[2 * r] = byId[2 * order[r]];
        xy[2 * r + 1] = byId[2 * order[r] + 1];
      }
      return xy;
    }
    // Force: from where each host ended last frame, at the scale the forces balance at (see
    // forceLayoutUnfitted); new hosts from their place on the circle, drawn round that drawing.
    if (this.forcePlaced.length <= maxId) {
      const placed = new Uint8Array(2 * (maxId + 1));
      placed.set(this.forcePlaced);
      const previous = new Float64Array(4 * (maxId + 1));
      previous.set(this.forceXY);
      this.forcePlaced = placed;
      this.forceXY = previous;
    }
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    let placedCount = 0;
    for (let r = 0; r < n; r++) {
      const id = order[r];
      if (!this.forcePlaced[id]) continue;
      placedCount++;
      const x = this.forceXY[2 * id], y = this.forceXY[2 * id + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    // The circle's unit square mapped onto the placed hosts' extent (itself when none are placed,
    // and at least a unit: the forces' own scale, so new hosts do not start on top of each other).
    const span = minX <= maxX ? Math.max(maxX - minX, maxY - minY, 1) : 1;
    const left = minX <= maxX ? (minX + maxX - span) / 2 : 0, bottom = minX <= maxX ? (minY + maxY - span) / 2 : 0;
    const circle = circularLayout(n);
    for (let r = 0; r < n; r++) {
      const id = order[r];
      const placed = this.forcePlaced[id] === 1;
      xy[2 * r] = placed ? this.forceXY[2 * id] : left + circle[2 * r] * span;
      xy[2 * r + 1] = placed ? this.forceXY[2 * id + 1] : bottom + circle[2 * r + 1] * span;
    }
    const warm = 2 * placedCount >= n;
    const settled = forceLayoutUnfitted(n, source, target, null, warm ? { ...FORCE_PARAMS, iterations: FORCE_WARM_ITERATIONS } : FORCE_PARAMS, xy);
    for (let r = 0; r < n; r++) {
      const id = order[r];
      this.forceXY[2 * id] = settled[2 * r];
      this.forceXY[2 * id + 1] = settled[2 * r + 1];
      this.forcePlaced[id] = 1;
    }
    return fitUnitSquare(settled);
  }
}

/** The active hosts that are laid out, by rank (so in address order), with their places. */
function drawnHosts(placed: Placed, activeHosts: Int32Array): DrawnHosts {
  const { order, rankOf, nodeXY } = placed;
  const drawn = new Uint8Array(order.length);
  let count = 0;
  for (let k = 0; k < activeHosts.length; k++) {
    const r = rankOf[activeHosts[k]];
    if (r !== undefined && r >= 0 && drawn[r] === 0) { drawn[r] = 1; count++; }
  }
  const ids = new Int32Array(count), xy = new Float64Array(2 * count);
  for (let r = 0, i = 0; r < order.length; r++) {
    if (drawn[r] === 0) continue;
    ids[i] = order[r];
    xy[2 * i] = nodeXY[2 * r];
    xy[2 * i + 1] = nodeXY[2 * r + 1];
    i++;
  }
  return { ids, xy };
}

/** The bundled polylines, or (`bundled` null) each edge as a straight one. */
function edgeLines(placed: Placed, bundled: BundleResult | null): EdgeLines {
  if (bundled === null) return straightEdges(placed.nodeXY, placed.source, placed.target);
  return { points: bundled.points, offsets: bundled.offsets, polylines: bundled.offsets.length - 1, edgeOf: bundled.edgeIndex };
}

/** Per polyline, the weight of its input edge (edgeOf[k]); a negative or non-finite weight counts as 0. */
function perPolylineWeights(perEdge: Float64Array, edgeOf: Int32Array): Float64Array {
  const out = new Float64Array(edgeOf.length);
  for (let k = 0; k < edgeOf.length; k++) {
    const w = perEdge[edgeOf[k]];
    out[k] = w > 0 && w < Infinity ? w : 0;
  }
  return out;
}

/** Per polyline, the value of its input edge (edgeOf[k]). */
function perPolyline(perEdge: Uint8Array, edgeOf: Int32Array): Uint8Array {
  const out = new Uint8Array(edgeOf.length);
  for (let k = 0; k < edgeOf.length; k++) out[k] = perEdge[edgeOf[k]];
  return out;
}

/** Bytes per host rank: the weights of its edges, summed. */
function hostBytes(hostCount: number, source: Int32Array, target: Int32Array, weight: Float64Array): Float64Array {
  const bytes = new Float64Array(Math.max(hostCount, 1));
  for (let e = 0; e < source.length; e++) {
    if (source[e] >= 0) bytes[source[e]] += weight[e];
    if (target[e] >= 0 && target[e] !== source[e]) bytes[target[e]] += weight[e];
  }
  return bytes;
}

/** Per polyline, its HIGHLIGHT_NEW and HIGHLIGHT_HOST bits. */
function highlightMarks(edgeOf: Int32Array, fresh: Uint8Array | undefined, source: Int32Array, target: Int32Array, hostRank: number): Uint8Array {
  const marks = new Uint8Array(edgeOf.length);
  for (let k = 0; k < edgeOf.length; k++) {
    const e = edgeOf[k];
    let mark = fresh !== undefined && fresh[e] !== 0 ? HIGHLIGHT_NEW : 0;
    if (hostRank >= 0 && (source[e] === hostRank || target[e] === hostRank)) mark |= HIGHLIGHT_HOST;
    marks[k] = mark;
  }
  return marks;
}

/**
 * Draws a live frame and encodes it: as palette indices (renderFrame, then the encoder reads
 * only the drawn pixels), or, for a picture past 256 colours, as RGBA (renderPicture).
 */
export function drawFramePng(
  spec: CanvasSpec, picture: PictureInput, buffers: PictureBuffers, encoder: FramePngEncoder,
  now: () => number = () => performance.now(),
): { png: Buffer; renderMs: number; encodeMs: number } {
  const t0 = now();
  const indexed = renderFrame(spec, picture, buffers);
  const rgba = indexed ? null : renderPicture(spec, picture, buffers);
  const t1 = now();
  const { indices, palette, size } = buffers.indexed;
  const png = rgba === null
    ? encoder.encodeIndexed(indices, palette, size, spec.width, spec.height, buffers.drawn)
    : encoder.encode(rgba, spec.width, spec.height, buffers.drawn);
  return { png, renderMs: t1 - t0, encodeMs: now() - t1 };
}

/** The reference's dot radius (5 px at 2000x2000), scaled so dots keep their size relative to the circle. */
export function hostSpreadFor(width: number, height: number): number {
  return Math.max(1, Math.round((HOST_SPREAD_PX * Math.min(width, height)) / 2000));
}

/** Each edge with both hosts laid out as one two-vertex polyline; edgeOf[k] is polyline k's edge. */
function straightEdges(nodeXY: Float64Array, source: Int32Array, target: Int32Array) {
  let kept = 0;
  for (let e = 0; e < source.length; e++) if (source[e] >= 0 && target[e] >= 0) kept++;
  const points = new Float64Array(kept * 4);
  const offsets = new Uint32Array(kept + 1);
  const edgeOf = new Int32Array(kept);
  let k = 0;
  for (let e = 0; e < source.length; e++) {
    const s = source[e], t = target[e];
    if (s < 0 || t < 0) continue;
    points[4 * k] = nodeXY[2 * s]; points[4 * k + 1] = nodeXY[2 * s + 1];
    points[4 * k + 2] = nodeXY[2 * t]; points[4 * k + 3] = nodeXY[2 * t + 1];
    edgeOf[k] = e;
    k++;
    offsets[k] = 2 * k;
  }
  return { points, offsets, polylines: kept, edgeOf };
}
