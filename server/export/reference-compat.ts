// The reference converter's semantics, reproduced exactly for `netshade convert --compat`: it
// reads `tcpdump -qns 0` text and aggregates IPv4 lines into undirected edges. Rules (they
// reproduce the reference tables in the team's data folder byte for byte):
// - a line containing `unreachable` is dropped; so is one whose 2nd field is not `IP`;
// - the protocol is the first of `tcp`, `UDP`, `EIGRP`, `ICMP` found anywhere in the line, in
//   that order of preference (so an ICMP line quoting `tcp port` is tcp); none: dropped;
// - fields 3 and 5 must each start with a dotted quad (a trailing `.port` or `:` is ignored)
//   that inet_aton accepts (parts 0..255, a leading 0 meaning octal), else the line is dropped;
// - both addresses then become nodes, even when the last field is not an integer: such a
//   half-parsed line adds nodes but no edge (the reference's bare `except` swallows the error);
// - the weight is the last field read as Python's int() reads it; edges are keyed by
//   (protocol, lower address, higher address), summed, and kept in first-seen order;
// - node ids are the ranks of the numeric IPv4 addresses among all nodes.
// Where the reference crashes instead (a one-field line), the line is dropped; weights are
// summed as doubles, exact up to 2^53. Pure: text in, typed columns and CSV text out.
import type { Table } from './tables.js';

/** Protocol names as the reference writes them; edge `protocol` codes index this. */
export const REFERENCE_PROTOCOLS = ['tcp', 'udp', 'eigrp', 'icmp'] as const;
const PROTOCOL_MARKERS = ['tcp', 'UDP', 'EIGRP', 'ICMP'] as const;

const HOST_LIMIT = 1 << 24; // edge keys pack two local host indices in 48 bits

export interface ReferenceTables {
  /** Node ids are 0..nodeCount-1. */
  nodeCount: number;
  /** Numeric IPv4 address of each node id (ascending). */
  nodeAddress: Uint32Array;
  edgeCount: number;
  source: Int32Array;
  target: Int32Array;
  /** Index into REFERENCE_PROTOCOLS. */
  protocol: Uint8Array;
  weight: Float64Array;
}

export interface ReferenceLineCounts {
  /** Lines seen (after the line filter). */
  lines: number;
  /** Lines that added to an edge. */
  graphed: number;
  /** Lines that added nodes but no edge (last field not an integer). */
  halfParsed: number;
}

export interface ReferenceConverterOptions {
  /** Keep only lines containing this text (the reference example's `| grep tcp`). */
  lineFilter?: string;
}

export class ReferenceConverter {
  readonly counts: ReferenceLineCounts = { lines: 0, graphed: 0, halfParsed: 0 };
  private readonly lineFilter: string | null;
  private carry = '';
  private readonly localOf = new Map<number, number>();
  private addresses = new Uint32Array(1024);
  private hostCount = 0;
  private readonly edgeOf = new Map<number, number>();
  private edgeCount = 0;
  private edgeLo = new Int32Array(1024);
  private edgeHi = new Int32Array(1024);
  private edgeProto = new Uint8Array(1024);
  private edgeWeight = new Float64Array(1024);
  private readonly fieldStart = new Int32Array(5);
  private readonly fieldEnd = new Int32Array(5);
  private lastStart = 0;
  private lastEnd = 0;

  constructor(options: ReferenceConverterOptions = {}) {
    const { lineFilter } = options;
    if (lineFilter !== undefined && (typeof lineFilter !== 'string' || lineFilter === '')) {
      throw new TypeError(`lineFilter must be a non-empty string, got ${String(lineFilter)}`);
    }
    this.lineFilter = lineFilter ?? null;
  }

  /** Adds a chunk of text; a line cut at the chunk's end waits for the next chunk. */
  feed(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (this.carry !== '') { this.addLine(this.carry + text.slice(start, nl)); this.carry = ''; } else this.addRange(text, start, nl);
      start = nl + 1;
    }
    if (start < text.length) this.carry += text.slice(start);
  }

  /** Reads a last line without a newline and returns the tables (the converter stays usable). */
  end(): ReferenceTables {
    if (this.carry !== '') { this.addLine(this.carry); this.carry = ''; }
    return this.tables();
  }

  /** One line of text, without its newline. */
  addLine(line: string): void {
    this.addRange(line, 0, line.length);
  }

  /** The line text[s, e) (scanned in place: no substring per line). */
  private addRange(text: string, s: number, e: number): void {
    if (this.lineFilter !== null && !contains(text, s, e, this.lineFilter)) return;
    this.counts.lines++;
    if (contains(text, s, e, 'unreachable')) return;
    const fields = this.scanFields(text, s, e);
    if (fields < 2) return;
    const fs = this.fieldStart, fe = this.fieldEnd;
    if (fe[1] - fs[1] !== 2 || text.charCodeAt(fs[1]) !== 73 || text.charCodeAt(fs[1] + 1) !== 80) return; // "IP"
    const proto = protocolOf(text, s, e);
    if (proto < 0 || fields < 5) return;
    const a = dottedQuadPrefix(text, fs[2], fe[2]);
    if (a < 0) return;
    const b = dottedQuadPrefix(text, fs[4], fe[4]);
    if (b < 0) return;
    const la = this.intern(a), lb = this.intern(b);
    const weight = pythonInt(text, this.lastStart, this.lastEnd);
    if (Number.isNaN(weight)) { this.counts.halfParsed++; return; }
    const lo = a <= b ? la : lb, hi = a <= b ? lb : la;
    const key = (proto * HOST_LIMIT + lo) * HOST_LIMIT + hi;
    let edge = this.edgeOf.get(key);
    if (edge === undefined) edge = this.newEdge(key, lo, hi, proto);
    this.edgeWeight[edge] += weight;
    this.counts.graphed++;
  }

  /** Finds the first five fields of text[s, e) and its last one; returns the field count, capped at 5. */
  private scanFields(text: string, s: number, e: number): number {
    let n = 0, i = s;
    while (n < 5) {
      while (i < e && isSpace(text.charCodeAt(i))) i++;
      if (i >= e) break;
      this.fieldStart[n] = i;
      while (i < e && !isSpace(text.charCodeAt(i))) i++;
      this.fieldEnd[n++] = i;
    }
    if (n === 0) return 0;
    let j = e;
    while (isSpace(text.charCodeAt(j - 1))) j--; // stops at the last field, which exists
    this.lastEnd = j;
    while (j > s && !isSpace(text.charCodeAt(j - 1))) j--;
    this.lastStart = j;
    return n;
  }

  private intern(address: number): number {
    let local = this.localOf.get(address);
    if (local === undefined) {
      local = this.hostCount++;
      if (local >= HOST_LIMIT) throw new RangeError(`more than ${HOST_LIMIT} hosts`);
      if (local === this.addresses.length) this.addresses = grown(this.addresses);
      this.addresses[local] = address;
      this.localOf.set(address, local);
    }
    return local;
  }

  private newEdge(key: number, lo: number, hi: number, proto: number): number {
    const edge = this.edgeCount++;
    if (edge === this.edgeLo.length) {
      this.edgeLo = grown(this.edgeLo); this.edgeHi = grown(this.edgeHi);
      this.edgeProto = grown(this.edgeProto); this.edgeWeight = grown(this.edgeWeight);
    }
    this.edgeLo[edge] = lo; this.edgeHi[edge] = hi; this.edgeProto[edge] = proto; this.edgeWeight[edge] = 0;
    this.edgeOf.set(key, edge);
    return edge;
  }

  private tables(): ReferenceTables {
    const n = this.hostCount;
    const nodeAddress = this.addresses.slice(0, n).sort();
    const rankOfLocal = new Int32Array(n);
    for (let local = 0; local < n; local++) rankOfLocal[local] = lowerBound(nodeAddress, this.addresses[local]);
    const m = this.edgeCount;
    const source = new Int32Array(m), target = new Int32Array(m);
    for (let k = 0; k < m; k++) { source[k] = rankOfLocal[this.edgeLo[k]]; target[k] = rankOfLocal[this.edgeHi[k]]; }
    return {
      nodeCount: n, nodeAddress, edgeCount: m, source, target,
      protocol: this.edgeProto.slice(0, m), weight: this.edgeWeight.slice(0, m),
    };
  }
}

/** The reference's nodes CSV (pandas `to_csv` of an index named `id`). */
export function referenceNodesCsv(t: ReferenceTables): string {
  const rows = ['id'];
  for (let i = 0; i < t.nodeCount; i++) rows.push(String(i));
  return rows.join('\n') + '\n';
}

/** The reference's edges CSV: an unnamed row-number column, then source, target, protocol, weight. */
export function referenceEdgesCsv(t: ReferenceTables): string {
  const rows = [',source,target,protocol,weight'];
  for (let k = 0; k < t.edgeCount; k++) {
    rows.push(`${k},${t.source[k]},${t.target[k]},${REFERENCE_PROTOCOLS[t.protocol[k]]},${t.weight[k]}`);
  }
  return rows.join('\n') + '\n';
}

/**
 * The reference's tables as typed columns (for Parquet/Arrow): nodes `id`; edges `source`,
 * `target`, `protocol` (a category), `weight`; integers as 64-bit, as pandas held them.
 */
export function referenceTables(t: ReferenceTables): { nodes: Table; edges: Table } {
  const id = new Float64Array(t.nodeCount);
  for (let i = 0; i < t.nodeCount; i++) id[i] = i;
  return {
    nodes: { rows: t.nodeCount, columns: [{ name: 'id', type: 'int64', values: id }] },
    edges: {
      rows: t.edgeCount,
      columns: [
        { name: 'source', type: 'int64', values: Float64Array.from(t.source) },
        { name: 'target', type: 'int64', values: Float64Array.from(t.target) },
        { name: 'protocol', type: 'category', codes: t.protocol, categories: REFERENCE_PROTOCOLS },
        { name: 'weight', type: 'int64', values: t.weight },
      ],
    },
  };
}

/** Python's str.split() whitespace, ASCII part (tcpdump prints nothing else). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
}

function protocolOf(text: string, s: number, e: number): number {
  for (let p = 0; p < PROTOCOL_MARKERS.length; p++) if (contains(text, s, e, PROTOCOL_MARKERS[p])) return p;
  return -1;
}

/** Whether text[s, e) contains word (short words: a plain scan). */
function contains(text: string, s: number, e: number, word: string): boolean {
  const first = word.charCodeAt(0), last = e - word.length;
  for (let i = s; i <= last; i++) {
    if (text.charCodeAt(i) !== first) continue;
    let k = 1;
    while (k < word.length && text.charCodeAt(i + k) === word.charCodeAt(k)) k++;
    if (k === word.length) return true;
  }
  return false;
}

/**
 * The dotted quad at the start of line[s, e) as inet_aton reads it, or -1: the longest
 * `digits.digits.digits.digits` prefix, each part decimal, or octal with a leading 0, at most 255.
 */
function dottedQuadPrefix(line: string, s: number, e: number): number {
  let value = 0, i = s;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= e || line.charCodeAt(i) !== 46) return -1;
      i++;
    }
    const start = i;
    while (i < e && isDigit(line.charCodeAt(i))) i++;
    if (i === start) return -1;
    const n = inetAtonPart(line, start, i);
    if (n < 0) return -1;
    value = value * 256 + n;
  }
  return value;
}

/** One part of an inet_aton address: decimal, or octal after a leading 0; -1 if invalid or > 255. */
function inetAtonPart(line: string, s: number, e: number): number {
  const octal = e - s > 1 && line.charCodeAt(s) === 48;
  const base = octal ? 8 : 10;
  let n = 0;
  for (let i = octal ? s + 1 : s; i < e; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d >= base) return -1;
    n = n * base + d;
    if (n > 255) return -1;
  }
  return n;
}

/** line[s, e) as Python's int() reads a decimal string (sign, `_` between digits), or NaN. */
function pythonInt(line: string, s: number, e: number): number {
  let i = s, sign = 1;
  const first = line.charCodeAt(i);
  if (first === 43 || first === 45) { sign = first === 45 ? -1 : 1; i++; }
  if (i >= e) return NaN;
  let n = 0, afterDigit = false;
  for (; i < e; i++) {
    const c = line.charCodeAt(i);
    if (isDigit(c)) { n = n * 10 + (c - 48); afterDigit = true; } else if (c === 95 && afterDigit) afterDigit = false;
    else return NaN;
  }
  return afterDigit ? sign * n : NaN;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function lowerBound(sorted: Uint32Array, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function grown<T extends Uint32Array | Int32Array | Uint8Array | Float64Array>(a: T): T {
  const g = new (a.constructor as new (n: number) => T)(a.length * 2);
  g.set(a);
  return g;
}
