// Force-directed layout (ForceAtlas2, graphology's implementation), the reference recipe's
// alternative to the circle: linked hosts pull together, all hosts push apart, so clusters of
// talkers separate. Deterministic: it starts from given positions (the previous frame's, so a
// live picture moves little between frames) or from the circular layout, and runs a fixed
// number of iterations. Drawn with straight edges, as the reference draws it.
import { MultiUndirectedGraph } from 'graphology';
import forceAtlas2Module from 'graphology-layout-forceatlas2';
import { circularLayout } from './circular.js';

// A CommonJS package whose types declare an ES default export: imported, its default is the
// layout function itself.
const forceAtlas2 = forceAtlas2Module as unknown as typeof forceAtlas2Module.default;

export interface ForceLayoutParams {
  /** ForceAtlas2 iterations (more: closer to equilibrium, slower). */
  iterations: number;
  /** Pull towards the centre, which keeps unconnected parts on the canvas. */
  gravity: number;
  /**
   * Gravity grows with the distance from the centre (ForceAtlas2's strong gravity) instead of
   * being constant: small parts not linked to a big one otherwise settle far out, and fitting
   * the drawing to the canvas then squeezes the big one into a corner.
   */
  strongGravity: boolean;
  /** Repulsion strength relative to attraction. */
  scalingRatio: number;
  /** 0 ignores edge weights; 1 makes attraction proportional to them. */
  edgeWeightInfluence: number;
  /** LinLog mode: tighter, more separated clusters. */
  linLog: boolean;
  /** Barnes-Hut approximation of repulsion: n log n instead of n^2; on from this many nodes. */
  barnesHutFrom: number;
}

export const FORCE_DEFAULTS: Readonly<ForceLayoutParams> = Object.freeze({
  iterations: 100, gravity: 1, strongGravity: false, scalingRatio: 2, edgeWeightInfluence: 0, linLog: false, barnesHutFrom: 1000,
});

export function resolveForceParams(params: Partial<ForceLayoutParams> = {}): ForceLayoutParams {
  const p = { ...FORCE_DEFAULTS, ...params };
  if (!Number.isInteger(p.iterations) || p.iterations < 0) throw new RangeError(`iterations must be a non-negative integer, got ${p.iterations}`);
  for (const name of ['gravity', 'scalingRatio', 'edgeWeightInfluence'] as const) {
    if (!(p[name] >= 0) || p[name] === Infinity) throw new RangeError(`${name} must be a finite number >= 0, got ${p[name]}`);
  }
  for (const name of ['strongGravity', 'linLog'] as const) {
    if (typeof p[name] !== 'boolean') throw new RangeError(`${name} must be a boolean, got ${String(p[name])}`);
  }
  if (!Number.isInteger(p.barnesHutFrom) || p.barnesHutFrom < 0) throw new RangeError(`barnesHutFrom must be a non-negative integer, got ${p.barnesHutFrom}`);
  return p;
}

/**
 * Positions of nodes 0..nodeCount-1, x,y interleaved in the unit square (the drawing keeps
 * its aspect and is centred), for the undirected edges source[i]-target[i] (self-loops and
 * edges to unknown nodes are left out; repeated pairs add up). `start` (length 2*nodeCount)
 * gives the starting positions; by default the circular layout.
 */
export function forceLayout(
  nodeCount: number, edgeSource: Int32Array, edgeTarget: Int32Array, weights: Float64Array | null,
  params?: Partial<ForceLayoutParams>, start?: Float64Array,
): Float64Array {
  return fitUnitSquare(forceLayoutUnfitted(nodeCount, edgeSource, edgeTarget, weights, params, start));
}

/**
 * forceLayout's positions before they are fitted to the unit square: at the scale the forces
 * balance at. The start for the next layout of a changing graph: started from fitted positions
 * instead, ForceAtlas2 first blows the drawing up to that scale and the nodes land elsewhere.
 */
export function forceLayoutUnfitted(
  nodeCount: number, edgeSource: Int32Array, edgeTarget: Int32Array, weights: Float64Array | null,
  params?: Partial<ForceLayoutParams>, start?: Float64Array,
): Float64Array {
  const p = resolveForceParams(params);
  if (!Number.isInteger(nodeCount) || nodeCount < 0) throw new RangeError(`nodeCount must be a non-negative integer, got ${nodeCount}`);
  if (edgeTarget.length !== edgeSource.length) throw new RangeError(`edgeTarget length ${edgeTarget.length} differs from edgeSource length ${edgeSource.length}`);
  if (weights !== null && weights.length !== edgeSource.length) throw new RangeError(`weights length ${weights.length} differs from edge count ${edgeSource.length}`);
  if (start !== undefined && start.length !== 2 * nodeCount) throw new RangeError(`start must have length 2*nodeCount = ${2 * nodeCount}, got ${start.length}`);
  const initial = start ?? circularLayout(nodeCount);
  for (let i = 0; i < initial.length; i++) {
    if (!Number.isFinite(initial[i])) throw new RangeError(`start must be finite, got ${initial[i]} at index ${i}`);
  }
  if (weights !== null) {
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || weights[i] === Infinity) throw new RangeError(`weights must be finite and >= 0, got ${weights[i]} at index ${i}`);
    }
  }

  const graph = new MultiUndirectedGraph({ allowSelfLoops: false });
  for (let i = 0; i < nodeCount; i++) graph.addNode(i, { x: initial[2 * i], y: initial[2 * i + 1] });
  for (let e = 0; e < edgeSource.length; e++) {
    const s = edgeSource[e], t = edgeTarget[e];
    if (s === t || s < 0 || t < 0 || s >= nodeCount || t >= nodeCount) continue;
    graph.addEdge(s, t, { weight: weights === null ? 1 : weights[e] });
  }
  if (p.iterations > 0 && graph.size > 0) {
    forceAtlas2.assign(graph, {
      iterations: p.iterations,
      getEdgeWeight: p.edgeWeightInfluence > 0 ? 'weight' : null,
      settings: {
        gravity: p.gravity, scalingRatio: p.scalingRatio, edgeWeightInfluence: p.edgeWeightInfluence,
        linLogMode: p.linLog, strongGravityMode: p.strongGravity, barnesHutOptimize: nodeCount >= p.barnesHutFrom,
      },
    });
  }
  const xy = new Float64Array(2 * nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    const a = graph.getNodeAttributes(i);
    xy[2 * i] = a.x as number;
    xy[2 * i + 1] = a.y as number;
  }
  return xy;
}

/** Scales and centres xy (in place) into [0, 1]^2, keeping its aspect; a single point goes to the centre. */
export function fitUnitSquare(xy: Float64Array): Float64Array {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const span = Math.max(maxX - minX, maxY - minY);
  const scale = span > 0 ? 1 / span : 0;
  const offsetX = 0.5 - 0.5 * (maxX - minX) * scale, offsetY = 0.5 - 0.5 * (maxY - minY) * scale;
  for (let i = 0; i < xy.length; i += 2) {
    xy[i] = offsetX + (xy[i] - minX) * scale;
    xy[i + 1] = offsetY + (xy[i + 1] - minY) * scale;
  }
  return xy;
}
