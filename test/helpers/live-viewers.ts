// What the /ws tests share: a live pipeline replaying a whole capture (the window longer than
// it, so once read the graph stays as it is), the app serving it on a loopback port, and
// WebSocket viewers that record everything they are sent.
import { join } from 'node:path';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { LivePipeline } from '../../server/pipeline/live-pipeline.js';
import { buildApp } from '../../server/http/app.js';
import { openCapture } from '../../server/sources/open-capture.js';
import {
  PROTOCOL_VERSION, readFrameHeader, isHostPositions, readHostPositions,
  type HostPositions, type ServerMessage, type ViewerSettings,
} from '../../shared/protocol.js';
import { REPO_ROOT } from './data.js';

/** `file` replayed as fast as it reads, straight edges drawn as lines, frames of `size` px square every `rebundleMs`. */
export function wholeCapturePipeline(file: string, size: number, rebundleMs: number): LivePipeline {
  return new LivePipeline({
    source: { description: file, open: (hosts) => openCapture(file, hosts) },
    speed: 'max', loop: false, windowSeconds: 1e9, frameWidth: size, frameHeight: size,
    rebundleMs, how: 'eq_hist', mode: 'lines', bundle: false,
  });
}

export interface WsServer {
  app: FastifyInstance;
  /** The /ws address. */
  url: string;
  /** Sockets to end on close(). */
  sockets: WebSocket[];
  /** Ends the sockets, the app and the pipeline. */
  close(): Promise<void>;
}

/** Serves `pipeline` on a free loopback port and starts it. */
export async function serveWs(pipeline: LivePipeline, options: { statsIntervalMs?: number } = {}): Promise<WsServer> {
  const app = await buildApp({ pipeline, clientDir: join(REPO_ROOT, 'client'), ...options });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  pipeline.start();
  const sockets: WebSocket[] = [];
  return {
    app, url: `${address.replace(/^http/, 'ws')}/ws`, sockets,
    close: async () => { for (const s of sockets) s.terminate(); await app.close(); await pipeline.stop(); },
  };
}

type ViewMessage = Extract<ServerMessage, { type: 'view' }>;

export interface ViewerLog {
  hello?: Extract<ServerMessage, { type: 'hello' }>;
  views: ViewMessage[];
  positions: HostPositions[];
  /** `view`: index in `views` of the view message in force; `positionsBefore`: positions messages received before it. */
  frames: { seq: number; placing: number; bytes: Buffer; view: number; positionsBefore: number }[];
  /** The newest stats message said the source is read to its end. */
  sourceDone: boolean;
  /** The close code, once closed. */
  closed?: number;
}

/** Connects to `url` and says hello (with `hello`'s extra fields); resolves once open. */
export function connectViewer(url: string, hello: Record<string, unknown> = {}): Promise<{ socket: WebSocket; got: ViewerLog }> {
  const socket = new WebSocket(url);
  const got: ViewerLog = { views: [], positions: [], frames: [], sourceDone: false };
  socket.on('message', (data: Buffer, isBinary) => {
    if (isBinary) {
      if (isHostPositions(data)) { got.positions.push(readHostPositions(data)); return; }
      const h = readFrameHeader(data);
      got.frames.push({ seq: h.seq, placing: h.placing, bytes: data, view: got.views.length - 1, positionsBefore: got.positions.length });
      return;
    }
    const m = JSON.parse(String(data)) as ServerMessage;
    if (m.type === 'hello') got.hello = m;
    if (m.type === 'view') got.views.push(m);
    if (m.type === 'stats') got.sourceDone = m.stats.sourceDone;
  });
  socket.on('close', (code) => { got.closed = code; });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, ...hello }));
      resolve({ socket, got });
    });
    socket.once('error', reject);
  });
}

/** Sends a `settings` message. */
export function askSettings(socket: WebSocket, settings: Partial<ViewerSettings>): void {
  socket.send(JSON.stringify({ type: 'settings', settings }));
}
