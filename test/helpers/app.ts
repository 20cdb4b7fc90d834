// A live pipeline on a capture file behind buildApp (no listening socket: tests use inject),
// drawing tiny frames rarely, since these tests are about the HTTP side.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LivePipeline } from '../../server/pipeline/live-pipeline.js';
import { buildApp } from '../../server/http/app.js';
import { openCapture } from '../../server/sources/open-capture.js';
import type { ReplaySpeed } from '../../server/replay/pacer.js';
import { REPO_ROOT } from './data.js';

export interface CaptureApp {
  pipeline: LivePipeline;
  app: Promise<FastifyInstance>;
  close(): Promise<void>;
}

export function appOnCapture(file: string, options: { speed: ReplaySpeed; windowSeconds: number; token?: string }): CaptureApp {
  const pipeline = new LivePipeline({
    source: { description: file, open: (hosts) => openCapture(file, hosts) },
    speed: options.speed, loop: false, windowSeconds: options.windowSeconds, frameWidth: 64, frameHeight: 64,
    rebundleMs: 60_000, how: 'eq_hist', mode: 'points', bundle: false,
  });
  const app = buildApp({ pipeline, clientDir: join(REPO_ROOT, 'client'), token: options.token });
  return { pipeline, app, close: async () => { await (await app).close(); await pipeline.stop(); } };
}
