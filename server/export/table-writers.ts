// The table formats netshade writes, each writer loaded only when asked for (apache-arrow
// alone takes a fifth of a second to load).
import { tableCsv, type Table } from './tables.js';

export const TABLE_FORMATS = ['parquet', 'arrow', 'csv'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export type TableWriter = (t: Table) => Uint8Array | string;

const LOADERS: Record<TableFormat, () => Promise<TableWriter>> = {
  parquet: async () => (await import('./parquet.js')).tableParquet,
  arrow: async () => (await import('./arrow.js')).tableArrow,
  csv: async () => tableCsv,
};

export function tableWriter(format: TableFormat): Promise<TableWriter> {
  return LOADERS[format]();
}

/** The media type each format is served as. */
export const TABLE_MEDIA_TYPES: Record<TableFormat, string> = {
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.file',
  csv: 'text/csv; charset=utf-8',
};
