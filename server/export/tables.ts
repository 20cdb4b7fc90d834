// Node and edge tables of a traffic graph, as typed columns, and their CSV form (Arrow IPC and
// Parquet writers beside this file, loaded only when asked for).
// Nodes are the hosts on at least one edge, numbered by address order (IPv4 before IPv6, each
// by numeric value: the reference's node order); edges keep the graph's first-seen order.
// Pure: no I/O.
import type { HostTable } from '../../shared/graph/hosts.js';
import type { WindowEdges } from '../../shared/graph/traffic-graph.js';
import { PROTO_NAMES } from '../../shared/records.js';

/** One typed column. */
export type Column =
  | { name: string; type: 'int32'; values: Int32Array }
  /** Whole numbers held as doubles (exact up to 2^53), stored as 64-bit integers. */
  | { name: string; type: 'int64'; values: Float64Array }
  | { name: string; type: 'utf8'; values: readonly string[] }
  /** Codes indexing `categories` (a pandas category, an Arrow dictionary). */
  | { name: string; type: 'category'; codes: Uint8Array; categories: readonly string[] };

export interface Table {
  rows: number;
  columns: readonly Column[];
}

export interface GraphTables {
  /** id, address, bytes, packets. */
  nodes: Table;
  /** source, target (node ids), protocol, weight (bytes), packets. */
  edges: Table;
}

/** Graph edges (e.g. EdgeTotals.edges()) and their host table -> node and edge tables. */
export function graphTables(edges: WindowEdges, hosts: HostTable): GraphTables {
  const m = edges.count;
  const onEdge = new Uint8Array(hosts.size);
  for (let k = 0; k < m; k++) {
    const s = edges.source[k], t = edges.target[k];
    if (s < 0 || s >= hosts.size || t < 0 || t >= hosts.size) throw new RangeError(`edge ${k} names host ${s < 0 || s >= hosts.size ? s : t}, not in the host table`);
    onEdge[s] = 1; onEdge[t] = 1;
  }
  const seen: number[] = [];
  for (let h = 0; h < onEdge.length; h++) if (onEdge[h]) seen.push(h);
  const order = hosts.sortByAddress(seen);
  const n = order.length;
  const nodeOfHost = new Int32Array(hosts.size).fill(-1);
  for (let i = 0; i < n; i++) nodeOfHost[order[i]] = i;

  const id = new Int32Array(n), address = new Array<string>(n);
  const nodeBytes = new Float64Array(n), nodePackets = new Float64Array(n);
  for (let i = 0; i < n; i++) { id[i] = i; address[i] = hosts.address(order[i]); }
  const source = new Int32Array(m), target = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    // Host ids follow first sight, node ids the address order: put the lower node id first.
    const a = nodeOfHost[edges.source[k]], c = nodeOfHost[edges.target[k]];
    const s = a < c ? a : c, t = a < c ? c : a;
    source[k] = s; target[k] = t;
    nodeBytes[s] += edges.bytes[k]; nodePackets[s] += edges.packets[k];
    // A host talking to itself counts its traffic once.
    if (t !== s) { nodeBytes[t] += edges.bytes[k]; nodePackets[t] += edges.packets[k]; }
  }
  return {
    nodes: {
      rows: n,
      columns: [
        { name: 'id', type: 'int32', values: id },
        { name: 'address', type: 'utf8', values: address },
        { name: 'bytes', type: 'int64', values: nodeBytes },
        { name: 'packets', type: 'int64', values: nodePackets },
      ],
    },
    edges: {
      rows: m,
      columns: [
        { name: 'source', type: 'int32', values: source },
        { name: 'target', type: 'int32', values: target },
        { name: 'protocol', type: 'category', codes: edges.proto.slice(0, m), categories: PROTO_NAMES },
        { name: 'weight', type: 'int64', values: edges.bytes.slice(0, m) },
        { name: 'packets', type: 'int64', values: edges.packets.slice(0, m) },
      ],
    },
  };
}

/** Checks that every column has `rows` values, int64 ones whole, category codes in range; throws otherwise. */
export function validateTable(table: Table): void {
  if (!Number.isInteger(table.rows) || table.rows < 0) throw new RangeError(`table rows must be a non-negative integer, got ${table.rows}`);
  for (const c of table.columns) {
    const length = c.type === 'category' ? c.codes.length : c.values.length;
    if (length !== table.rows) throw new RangeError(`column ${c.name} has ${length} values, the table ${table.rows} rows`);
    if (c.type === 'int64') {
      for (let i = 0; i < length; i++) {
        if (!Number.isSafeInteger(c.values[i])) throw new RangeError(`column ${c.name} row ${i}: ${c.values[i]} is not a whole number below 2^53`);
      }
    } else if (c.type === 'category') {
      if (c.categories.length > 127) throw new RangeError(`column ${c.name} has more than 127 categories`);
      for (let i = 0; i < length; i++) {
        if (c.codes[i] >= c.categories.length) throw new RangeError(`column ${c.name} row ${i}: code ${c.codes[i]} has no category`);
      }
    }
  }
}

/** CSV text: a header of column names, then one line per row (RFC 4180 quoting where needed). */
export function tableCsv(table: Table): string {
  validateTable(table);
  const lines = [table.columns.map((c) => csvField(c.name)).join(',')];
  const cells = new Array<string>(table.columns.length);
  for (let i = 0; i < table.rows; i++) {
    for (let j = 0; j < table.columns.length; j++) cells[j] = csvCell(table.columns[j], i);
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** The whole-number column as 64-bit integers. */
export function int64Values(values: Float64Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}

/** The category column spelled out, one string per row. */
export function categoryStrings(codes: Uint8Array, categories: readonly string[]): string[] {
  const out = new Array<string>(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = categories[codes[i]];
  return out;
}

function csvCell(c: Column, i: number): string {
  switch (c.type) {
    case 'int32':
    case 'int64': return String(c.values[i]);
    case 'utf8': return csvField(c.values[i]);
    case 'category': return csvField(c.categories[c.codes[i]]);
  }
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
