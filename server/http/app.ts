// The HTTP/WebSocket transport. buildApp() wires routes and does not listen, so tests drive
// it through inject() or a listener of their own choosing.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { PROTOCOL_VERSION, parseClientMessage, type ServerMessage, type Stats, type ReplayCommand } from '../../shared/protocol.js';
import { ViewerHub } from './viewers.js';
import { statsResponseSchema, replayCommandSchema } from './schemas.js';
import { HTTP_ERRORS } from './errors.js';
import { registerTokenAuth } from './token-auth.js';
import { registerExportRoutes } from './export-routes.js';
import { registerHostRoutes } from './host-routes.js';
import type { LivePipeline } from '../pipeline/live-pipeline.js';

export interface AppOptions {
  pipeline: LivePipeline;
  /** Folder holding the built page (dist/client). */
  clientDir: string;
  /** Milliseconds between stats messages to viewers. */
  statsIntervalMs?: number;
  /** Draw each view's frames at its viewers' largest picture size (capped at maxViewerFrame pixels a side). */
  frameFollowsViewers?: boolean;
  maxViewerFrame?: number;
  /** When set, every route and the WebSocket need this token (see token-auth.ts). */
  token?: string;
  logger?: boolean;
}

/** Seconds of per-second rate history sent with each stats message. */
const RATE_HISTORY_SECONDS = 300;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { pipeline, clientDir, statsIntervalMs = 1000, logger = false, frameFollowsViewers = false, maxViewerFrame = 7680, token } = options;
  const app = Fastify({ logger });
  const hub = new ViewerHub({
    serverSettings: pipeline.serverSettings,
    frameWidth: pipeline.frameWidth, frameHeight: pipeline.frameHeight,
    ...(frameFollowsViewers ? { followViewersUpTo: maxViewerFrame } : {}),
    latestFrameOf: (key) => pipeline.latestFrameOf(key),
    onViews: (views) => pipeline.setViews(views),
  });

  // Event-loop delay, sampled every 10 ms; each stats interval reports its longest and starts anew.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let eventLoopMaxMs = 0;
  const stats = (): Stats => ({
    ...pipeline.stats(), framesSent: hub.framesSent, framesDropped: hub.framesDropped, viewers: hub.count, eventLoopMaxMs,
  });
  const statsMessage = (): ServerMessage => ({ type: 'stats', stats: stats(), rates: pipeline.recentRates(RATE_HISTORY_SECONDS) });
  const hello: ServerMessage = { type: 'hello', version: PROTOCOL_VERSION, defaults: pipeline.serverSettings };

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  // After the WebSocket plugin: its hooks must mark an upgrade before a refusal ends it.
  if (token !== undefined) await registerTokenAuth(app, token);
  await app.register(fastifyStatic, { root: clientDir, index: 'index.html' });

  // The wall display: the picture full screen, for a room.
  app.get('/wall', (_request, reply) => reply.sendFile('wall.html'));

  app.get('/api/stats', { schema: { response: { 200: statsResponseSchema } } }, async () => stats());

  registerExportRoutes(app, pipeline);
  registerHostRoutes(app, pipeline);

  app.post('/api/replay', { schema: { body: replayCommandSchema } }, async (request) => {
    applyReplayCommand(pipeline, request.body as ReplayCommand);
    return pipeline.replayState();
  });

  // RangeErrors carry a message meant for the user (a seek outside the capture, ...).
  app.setErrorHandler((error, _request, reply) => {
    const bad = HTTP_ERRORS.badRequest;
    if (error instanceof RangeError) return reply.code(bad.statusCode).send({ statusCode: bad.statusCode, error: bad.error, message: error.message });
    return reply.send(error);
  });

  app.get('/ws', { websocket: true }, (socket) => {
    // Every message is checked against the contract; a viewer that breaks it is closed.
    socket.on('message', (data, isBinary) => {
      let parsed: unknown;
      try { parsed = isBinary ? undefined : JSON.parse(String(data)); } catch { parsed = undefined; }
      const msg = parsed === undefined ? 'not a JSON text message' : parseClientMessage(parsed);
      if (typeof msg === 'string') { socket.close(1008, msg.slice(0, 120)); return; }
      if (msg.type === 'settings') { hub.setSettings(socket, msg.settings); return; }
      if (msg.viewport) hub.setViewport(socket, msg.viewport);
      if (msg.type === 'hello' && msg.hostPositions === true) hub.sendHostPositions(socket);
    });
    hub.add(socket, [hello, statsMessage()]);
  });

  const frameSub = pipeline.frames.subscribe((frame) => hub.deliver(frame));
  const timer = setInterval(() => {
    // The histogram's max counts the sampling interval too: subtract it to get the delay.
    eventLoopMaxMs = Math.max(0, loopDelay.max / 1e6 - 10);
    loopDelay.reset();
    hub.broadcastMessage(statsMessage());
  }, statsIntervalMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    loopDelay.disable();
    frameSub.unsubscribe();
    hub.closeAll();
  });
  return app;
}

function applyReplayCommand(pipeline: LivePipeline, command: ReplayCommand): void {
  switch (command.action) {
    case 'pause': pipeline.pause(); break;
    case 'resume': pipeline.resume(); break;
    case 'speed': pipeline.setSpeed(command.speed); break;
    case 'seek': pipeline.seek(command.time); break;
    case 'loop': pipeline.setLoop(command.loop); break;
  }
}
