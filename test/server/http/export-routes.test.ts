// The current window's graph exported over HTTP, as CSV, Arrow and Parquet: with the whole
// capture in the window, the tables equal what `netshade convert` writes for the capture
// (convert's tables are checked against tcpdump's own text in test/e2e/convert.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { tableFromIPC } from 'apache-arrow';
import { exportFileName } from '../../../server/http/export-routes.js';
import { runCli, waitFor } from '../../helpers/cli.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { appOnCapture } from '../../helpers/app.js';
import { decodePng } from '../export/decode-png.js';

describe('exportFileName', () => {
  it('names the capture time in UTC, safe for every file system', () => {
    expect(exportFileName(1331901000.75, 'edges', 'csv')).toBe('netshade-2012-03-16T12-30-00Z-edges.csv');
    expect(exportFileName(null, 'nodes', 'parquet')).toBe('netshade-empty-nodes.parquet');
  });
});

describeData('GET /api/export/TABLE.FORMAT', () => {
  const name = 'ndpi-gnutella.pcap';
  const file = dataPath('pcap', name);
  const { pipeline, app: appReady, close } = appOnCapture(file, { speed: 'max', windowSeconds: 1e9 });
  afterAll(close);

  it('serves the window\'s node and edge tables, equal to convert\'s, in all three formats', async () => {
    const app = await appReady;
    pipeline.start();
    // SOURCES.md: 3905 packets, the last at 1970-01-01 00:10:00.247226.
    await waitFor('the whole capture', () => (pipeline.stats().packets === 3905 && pipeline.stats().captureTime === 600.247226 ? true : undefined));
    const out = mkdtempSync(join(tmpdir(), 'netshade-export-'));
    expect(runCli(['convert', file, '--out', out]).status).toBe(0);
    for (const table of ['nodes', 'edges']) {
      const csv = await app.inject({ method: 'GET', url: `/api/export/${table}.csv` });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="netshade-1970-01-01T00-10-00Z-${table}\\.csv"$`));
      expect(csv.body).toBe(readFileSync(join(out, `${name}.${table}.csv`), 'utf8'));

      const parquet = await app.inject({ method: 'GET', url: `/api/export/${table}.parquet` });
      const arrow = await app.inject({ method: 'GET', url: `/api/export/${table}.arrow` });
      const fromParquet = await parquetReadObjects({ file: new Uint8Array(parquet.rawPayload).buffer });
      const fromArrow = tableFromIPC(arrow.rawPayload).toArray().map((r) => r.toJSON());
      const fromFile = await parquetReadObjects({ file: new Uint8Array(readFileSync(join(out, `${name}.${table}.parquet`))).buffer });
      expect(fromParquet).toEqual(fromFile);
      expect(fromArrow.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))))
        .toEqual(fromFile.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))));
    }
  });

  it('refuses anything but a known table and format', async () => {
    const app = await appReady;
    for (const url of ['/api/export/hosts.csv', '/api/export/edges.json', '/api/export/..%2Fetc.csv', '/api/export/edges']) {
      const r = await app.inject({ method: 'GET', url });
      expect([400, 404], url).toContain(r.statusCode);
    }
  });
});

describeData('GET /api/export/frame.png', () => {
  const { pipeline, app: appReady, close } = appOnCapture(dataPath('pcap', 'pcpp-example.pcap'), { speed: 'max', windowSeconds: 60 });
  afterAll(close);

  it('serves the newest frame as a PNG file, and 404 before the first', async () => {
    const app = await appReady;
    expect((await app.inject({ method: 'GET', url: '/api/export/frame.png' })).statusCode).toBe(404);
    pipeline.start();
    await waitFor('a frame', () => (pipeline.latestFrame !== null ? true : undefined), 30_000);
    const r = await app.inject({ method: 'GET', url: '/api/export/frame.png' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="netshade-.*-frame\.png"$/);
    const png = decodePng(new Uint8Array(r.rawPayload));
    // appOnCapture draws 64x64 frames.
    expect([png.width, png.height]).toEqual([64, 64]);
  });
});
