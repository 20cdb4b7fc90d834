// Parquet bytes of a table, through hyparquet-writer (pure JavaScript, Snappy-compressed column
// chunks). Columns are REQUIRED (no nulls); int64 columns become INT64, category columns
// dictionary-encoded UTF8 strings, which pandas and pyarrow read back as plain strings.
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { categoryStrings, int64Values, validateTable, type Column, type Table } from './tables.js';

/** Writer name stored in the file footer. */
const CREATED_BY = 'netshade';

export function tableParquet(table: Table): Uint8Array {
  validateTable(table);
  const buffer = parquetWriteBuffer({ columnData: table.columns.map(columnSource), createdBy: CREATED_BY });
  return new Uint8Array(buffer);
}

function columnSource(c: Column): ColumnSource {
  switch (c.type) {
    case 'int32': return { name: c.name, data: c.values, type: 'INT32', nullable: false };
    case 'int64': return { name: c.name, data: int64Values(c.values), type: 'INT64', nullable: false };
    case 'utf8': return { name: c.name, data: c.values as string[], type: 'STRING', nullable: false };
    case 'category': return { name: c.name, data: categoryStrings(c.codes, c.categories), type: 'STRING', nullable: false };
  }
}
