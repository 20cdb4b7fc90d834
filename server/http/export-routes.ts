// Export of what the viewers see: the newest frame as PNG (the server's own view's, or a viewer's
// own: its view as the `view` message names it), and the graph in the current window as node and
// edge tables (CSV, Arrow IPC, Parquet). Routes take only a view name (looked up among the views
// drawn), a table and a format from fixed lists: no client input reaches a file name or a path.
import type { FastifyInstance } from 'fastify';
import type { LivePipeline } from '../pipeline/live-pipeline.js';
import { FRAME_HEADER_BYTES } from '../../shared/protocol.js';
import { HTTP_ERRORS } from './errors.js';
import { graphTables } from '../export/tables.js';
import { TABLE_FORMATS, TABLE_MEDIA_TYPES, tableWriter, type TableFormat } from '../export/table-writers.js';

const TABLES = ['nodes', 'edges'] as const;
type TableName = (typeof TABLES)[number];

const exportParamsSchema = {
  type: 'object',
  required: ['table', 'format'],
  properties: { table: { type: 'string', enum: TABLES }, format: { type: 'string', enum: TABLE_FORMATS } },
  additionalProperties: false,
} as const;

const frameQuerySchema = {
  type: 'object',
  // View keys are short JSON texts (view-settings.ts): a bound far above them.
  properties: { view: { type: 'string', minLength: 1, maxLength: 2000 }, token: { type: 'string' } },
  additionalProperties: false,
} as const;

/** A file name for an export taken at capture time `t` (seconds), e.g. netshade-2012-03-16T12-30-00Z-edges.csv. */
export function exportFileName(t: number | null, table: string, format: string): string {
  const stamp = t === null ? 'empty' : new Date(Math.floor(t) * 1000).toISOString().replace('.000', '').replace(/:/g, '-');
  return `netshade-${stamp}-${table}.${format}`;
}

export function registerExportRoutes(app: FastifyInstance, pipeline: LivePipeline): void {
  // The newest frame as the PNG file it already is (the frame message less its header).
  app.get('/api/export/frame.png', { schema: { querystring: frameQuerySchema } }, async (request, reply) => {
    const { view } = request.query as { view?: string };
    const frame = view === undefined ? pipeline.latestFrame : pipeline.latestFrameOf(view);
    if (frame === null) {
      const e = HTTP_ERRORS.notFound;
      const message = view === undefined ? 'no frame drawn yet' : 'no frame of that view: no viewer has it now, or none is drawn yet';
      return reply.code(e.statusCode).send({ statusCode: e.statusCode, error: e.error, message });
    }
    const png = frame.bytes.subarray(FRAME_HEADER_BYTES);
    return reply
      .type('image/png')
      .header('content-disposition', `attachment; filename="${exportFileName(frame.captureTime, 'frame', 'png')}"`)
      .send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  });

  app.get('/api/export/:table.:format', { schema: { params: exportParamsSchema } }, async (request, reply) => {
    const { table, format } = request.params as { table: TableName; format: TableFormat };
    const tables = graphTables(pipeline.graph.windowEdges(), pipeline.hosts);
    const body = (await tableWriter(format))(tables[table]);
    const captureTime = pipeline.stats().captureTime;
    return reply
      .type(TABLE_MEDIA_TYPES[format])
      .header('content-disposition', `attachment; filename="${exportFileName(captureTime, table, format)}"`)
      .send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}
