// Arrow IPC file bytes of a table (the `.arrow` / Feather v2 format), through apache-arrow:
// int64 columns as Int64, category columns as Int8-keyed dictionaries of UTF8 strings.
// Apart from tables.ts because apache-arrow takes a while to load: commands load it on demand.
import { Dictionary, Int8, makeData, makeVector, Table as ArrowTable, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { int64Values, validateTable, type Column, type Table } from './tables.js';

/** Arrow IPC file bytes of the table. */
export function tableArrow(table: Table): Uint8Array {
  validateTable(table);
  const vectors: Record<string, Vector> = {};
  for (const c of table.columns) vectors[c.name] = arrowVector(c);
  return tableToIPC(new ArrowTable(vectors), 'file');
}

function arrowVector(c: Column): Vector {
  switch (c.type) {
    case 'int32': return makeVector(c.values);
    case 'int64': return makeVector(int64Values(c.values));
    case 'utf8': return vectorFromArray(c.values as string[], new Utf8());
    case 'category': {
      const type = new Dictionary(new Utf8(), new Int8());
      const dictionary = vectorFromArray(c.categories as string[], new Utf8());
      return makeVector(makeData({ type, length: c.codes.length, nullCount: 0, data: Int8Array.from(c.codes), dictionary }));
    }
  }
}
