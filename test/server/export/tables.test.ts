import { describe, it, expect } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import type { WindowEdges } from '../../../shared/graph/traffic-graph.js';
import { Proto } from '../../../shared/records.js';
import { graphTables, tableCsv, validateTable, type Table } from '../../../server/export/tables.js';

/** Hosts interned out of address order, so that ids and ranks differ. */
function sample(): { hosts: HostTable; edges: WindowEdges } {
  const hosts = new HostTable();
  const id = (s: string) => hosts.internText(s);
  const h2001 = id('2001:db8::1'), h10b = id('10.0.0.10'), h9 = id('9.1.1.1'), h10a = id('10.0.0.2'), unused = id('1.1.1.1');
  expect(unused).toBe(4);
  const rows: [number, number, number, number, number][] = [
    // source, target, proto, bytes, packets
    [h10a, h10b, Proto.tcp, 1500, 3],
    // As the graph gives it: lower host id first (10.0.0.10 was seen before 9.1.1.1), yet
    // the table puts the lower node id (address order) first.
    [h10b, h9, Proto.udp, 100, 2],
    [h2001, h2001, Proto.icmp, 64, 1], // a host talking to itself
    [h9, h10b, Proto.other, 0, 4],
  ];
  const n = rows.length;
  const edges: WindowEdges = {
    count: n, source: new Int32Array(n), target: new Int32Array(n), proto: new Uint8Array(n),
    bytes: new Float64Array(n), packets: new Float64Array(n),
  };
  rows.forEach(([s, t, p, b, k], i) => {
    edges.source[i] = s; edges.target[i] = t; edges.proto[i] = p; edges.bytes[i] = b; edges.packets[i] = k;
  });
  return { hosts, edges };
}

function values(t: Table, name: string): unknown[] {
  const c = t.columns.find((x) => x.name === name)!;
  if (c.type === 'category') return Array.from(c.codes, (k) => c.categories[k]);
  return Array.from(c.values as ArrayLike<unknown>);
}

describe('graph tables', () => {
  it('numbers the hosts on edges by address (IPv4 numerically, then IPv6) and keeps edge order', () => {
    const { hosts, edges } = sample();
    const { nodes, edges: e } = graphTables(edges, hosts);
    // 1.1.1.1 is on no edge: not a node.
    expect(values(nodes, 'address')).toEqual(['9.1.1.1', '10.0.0.2', '10.0.0.10', '2001:db8::1']);
    expect(values(nodes, 'id')).toEqual([0, 1, 2, 3]);
    expect(values(e, 'source')).toEqual([1, 0, 3, 0]);
    expect(values(e, 'target')).toEqual([2, 2, 3, 2]);
    expect(values(e, 'protocol')).toEqual(['tcp', 'udp', 'icmp', 'other']);
    expect(values(e, 'weight')).toEqual([1500, 100, 64, 0]);
    expect(values(e, 'packets')).toEqual([3, 2, 1, 4]);
  });

  it('gives each node the bytes and packets of its edges, a self-edge once', () => {
    const { hosts, edges } = sample();
    const { nodes } = graphTables(edges, hosts);
    // 9.1.1.1: 100+0 bytes, 2+4 packets; 10.0.0.2: 1500, 3; 10.0.0.10: 1500+100+0, 3+2+4; 2001:db8::1: 64, 1.
    expect(values(nodes, 'bytes')).toEqual([100, 1500, 1600, 64]);
    expect(values(nodes, 'packets')).toEqual([6, 3, 9, 1]);
  });

  it('refuses an edge naming a host the table does not have', () => {
    const { hosts, edges } = sample();
    edges.target[0] = 99;
    expect(() => graphTables(edges, hosts)).toThrow(/host 99/);
  });

  it('writes CSV with a header and RFC 4180 quoting where a value needs it', () => {
    const { hosts, edges } = sample();
    const { nodes, edges: e } = graphTables(edges, hosts);
    expect(tableCsv(nodes)).toBe('id,address,bytes,packets\n0,9.1.1.1,100,6\n1,10.0.0.2,1500,3\n2,10.0.0.10,1600,9\n3,2001:db8::1,64,1\n');
    expect(tableCsv(e).split('\n')[1]).toBe('1,2,tcp,1500,3');
    const odd: Table = { rows: 1, columns: [{ name: 'a,b', type: 'utf8', values: ['say "hi"'] }] };
    expect(tableCsv(odd)).toBe('"a,b"\n"say ""hi"""\n');
  });

  it('writes empty tables', () => {
    const { nodes, edges } = graphTables({ ...sample().edges, count: 0 }, new HostTable());
    expect(tableCsv(nodes)).toBe('id,address,bytes,packets\n');
    expect(tableCsv(edges)).toBe('source,target,protocol,weight,packets\n');
  });

  it('rejects columns of the wrong length, fractional int64 values and codes without a category', () => {
    expect(() => validateTable({ rows: 2, columns: [{ name: 'a', type: 'int32', values: new Int32Array(1) }] })).toThrow(/column a has 1 values/);
    expect(() => validateTable({ rows: 1, columns: [{ name: 'w', type: 'int64', values: Float64Array.of(1.5) }] })).toThrow(/w row 0/);
    expect(() => validateTable({ rows: 1, columns: [{ name: 'p', type: 'category', codes: Uint8Array.of(2), categories: ['x'] }] })).toThrow(/p row 0/);
    expect(() => validateTable({ rows: -1, columns: [] })).toThrow(RangeError);
  });
});
