import { describe, it, expect } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { tableParquet } from '../../../server/export/parquet.js';
import type { Table } from '../../../server/export/tables.js';

const ascii = (b: Uint8Array) => String.fromCharCode(...b);

function read(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { metadata: parquetMetadata(file), rows: parquetReadObjects({ file }) };
}

function bigTable(n: number): Table {
  const id = new Int32Array(n), weight = new Float64Array(n), codes = new Uint8Array(n), names = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    id[i] = i - 7;
    weight[i] = i === 0 ? Number.MAX_SAFE_INTEGER : i * 1000;
    codes[i] = i % 3;
    names[i] = `host-${i}-é`;
  }
  return {
    rows: n,
    columns: [
      { name: 'id', type: 'int32', values: id },
      { name: 'weight', type: 'int64', values: weight },
      { name: 'protocol', type: 'category', codes, categories: ['tcp', 'udp', 'icmp'] },
      { name: 'address', type: 'utf8', values: names },
    ],
  };
}

describe('Parquet output', () => {
  it('is a Parquet file (PAR1 at both ends) with required typed columns and its row count in the footer', async () => {
    const bytes = tableParquet(bigTable(3));
    expect(ascii(bytes.subarray(0, 4))).toBe('PAR1');
    expect(ascii(bytes.subarray(bytes.length - 4))).toBe('PAR1');
    const { metadata } = read(bytes);
    expect(metadata.num_rows).toBe(3n);
    expect(metadata.created_by).toBe('netshade');
    const schema = metadata.schema.slice(1).map((s) => [s.name, s.type, s.converted_type ?? null, s.repetition_type]);
    expect(schema).toEqual([
      ['id', 'INT32', null, 'REQUIRED'],
      ['weight', 'INT64', null, 'REQUIRED'],
      ['protocol', 'BYTE_ARRAY', 'UTF8', 'REQUIRED'],
      ['address', 'BYTE_ARRAY', 'UTF8', 'REQUIRED'],
    ]);
  });

  it('reads back every value, across several row groups', async () => {
    const n = 2500;
    const { metadata, rows } = read(tableParquet(bigTable(n)));
    expect(metadata.num_rows).toBe(BigInt(n));
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    const got = await rows;
    expect(got.length).toBe(n);
    expect(got[0]).toEqual({ id: -7, weight: BigInt(Number.MAX_SAFE_INTEGER), protocol: 'tcp', address: 'host-0-é' });
    for (let i = 1; i < n; i++) {
      const r = got[i];
      if (r.id !== i - 7 || r.weight !== BigInt(i * 1000) || r.protocol !== ['tcp', 'udp', 'icmp'][i % 3] || r.address !== `host-${i}-é`) {
        throw new Error(`row ${i} reads back as ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      }
    }
  });

  it('writes a table without rows', async () => {
    const { metadata, rows } = read(tableParquet(bigTable(0)));
    expect(metadata.num_rows).toBe(0n);
    expect(metadata.schema.length).toBe(5);
    expect(await rows).toEqual([]);
  });

  it('refuses a malformed table before writing', () => {
    expect(() => tableParquet({ rows: 2, columns: [{ name: 'id', type: 'int32', values: new Int32Array(1) }] })).toThrow(RangeError);
  });
});
