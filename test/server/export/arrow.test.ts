import { describe, it, expect } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { tableArrow } from '../../../server/export/arrow.js';
import type { Table } from '../../../server/export/tables.js';

/** Two rows of every column type. */
function sample(rows = 2): Table {
  return {
    rows,
    columns: [
      { name: 'id', type: 'int32', values: Int32Array.of(7, -1).subarray(0, rows) },
      { name: 'address', type: 'utf8', values: ['10.0.0.10', '2001:db8::1'].slice(0, rows) },
      { name: 'bytes', type: 'int64', values: Float64Array.of(Number.MAX_SAFE_INTEGER, 0).subarray(0, rows) },
      { name: 'protocol', type: 'category', codes: Uint8Array.of(2, 0).subarray(0, rows), categories: ['tcp', 'udp', 'icmp'] },
    ],
  };
}

describe('arrow table', () => {
  it('writes Arrow IPC that apache-arrow reads back with the same types and values', () => {
    const t = tableFromIPC(tableArrow(sample()));
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int32', 'address:Utf8', 'bytes:Int64', 'protocol:Dictionary<Int8, Utf8>']);
    expect(t.numRows).toBe(2);
    expect(t.toArray().map((r) => r.toJSON())).toEqual([
      { id: 7, address: '10.0.0.10', bytes: 9007199254740991n, protocol: 'icmp' },
      { id: -1, address: '2001:db8::1', bytes: 0n, protocol: 'tcp' },
    ]);
  });

  it('writes an empty table', () => {
    const t = tableFromIPC(tableArrow(sample(0)));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'address', 'bytes', 'protocol']);
  });

  it('refuses a table whose columns do not match its rows', () => {
    expect(() => tableArrow({ ...sample(), rows: 3 })).toThrow(/column id has 2 values/);
  });
});
