// `netshade serve` (the demo) and `netshade replay FILE`: a live pipeline behind the HTTP
// and WebSocket transport.
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostTable } from '../../shared/graph/hosts.js';
import { parseSpeed, type ReplaySpeed } from '../replay/pacer.js';
import { LivePipeline, type PipelineSource } from '../pipeline/live-pipeline.js';
import { buildApp } from '../http/app.js';
import { isLoopback } from '../http/token-auth.js';
import { openCapture } from '../sources/open-capture.js';
import { ensureDemoCapture } from '../sources/demo-capture.js';
import { indexedFileSource } from '../sources/indexed-file-source.js';
import { UsageError, integerIn, nonNegativeNumber, pictureOptions, PICTURE_OPTIONS } from './args.js';

const SHUTDOWN_GRACE_MS = 5000;

export const SERVE_OPTIONS = {
  ...PICTURE_OPTIONS,
  host: { type: 'string' }, port: { type: 'string' }, token: { type: 'string' }, 'new-edges': { type: 'boolean' }, speed: { type: 'string' }, loop: { type: 'boolean' },
  window: { type: 'string' }, rebundle: { type: 'string' }, seed: { type: 'string' },
} as const;

type ServeValues = ReturnType<typeof parseArgs<{ options: typeof SERVE_OPTIONS; allowPositionals: true }>>['values'];

export async function runServe(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({ args: argv, options: SERVE_OPTIONS, allowPositionals: true });
  if (positionals.length) throw new UsageError(`serve takes no file (use replay FILE), got "${positionals[0]}"`);
  const seed = nonNegativeNumber('seed', v.seed, 2012, true);
  const speed = v.speed ? parseSpeed(v.speed) : 10;
  const path = await ensureDemoCapture(join(tmpdir(), 'netshade-cache'), { seed });
  const source = indexedFileSource(path, `demo traffic (seed ${seed})`);
  await serve(v, source, speed, true);
}

export async function runReplay(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({ args: argv, options: SERVE_OPTIONS, allowPositionals: true });
  const file = positionals[0];
  if (!file) throw new UsageError('replay needs a FILE (pcap, pcapng, tcpdump text, or - for stdin)');
  if (positionals.length > 1) throw new UsageError(`replay takes one FILE, got ${positionals.length}`);
  if (file === '-' && v.loop) throw new UsageError('--loop cannot re-read stdin');
  const speed = v.speed ? parseSpeed(v.speed) : 1;
  // Open once up front so that a bad file fails here, with its message, before serving.
  if (file !== '-') await (await openCapture(file, new HostTable())).close();
  // A file seeks through an index made on its first pass; stdin cannot be re-read at all.
  const source: PipelineSource = file === '-'
    ? { description: 'stdin', reopenable: false, open: (hosts) => openCapture(file, hosts) }
    : indexedFileSource(file);
  await serve(v, source, speed, Boolean(v.loop));
}

export async function serve(v: ServeValues, source: PipelineSource, speed: ReplaySpeed, loop: boolean): Promise<void> {
  // --size viewer: frames follow the largest viewer's picture area (2000x2000 until one says).
  const followViewers = v.size === 'viewer';
  const picture = pictureOptions(followViewers ? { ...v, size: undefined } : v, 2000);
  const pipeline = new LivePipeline({
    source, speed, loop,
    windowSeconds: nonNegativeNumber('window', v.window, 60),
    rebundleMs: nonNegativeNumber('rebundle', v.rebundle, 2) * 1000,
    frameWidth: picture.width, frameHeight: picture.height,
    how: picture.how, mode: picture.mode, bundle: picture.bundle,
    picture: {
      cmap: picture.cmap, background: picture.background, layers: picture.layers, layout: picture.layout, hostDots: picture.hostDots,
      aggregate: picture.aggregate, antialias: picture.antialias,
    },
    highlight: picture.highlight,
    newEdges: Boolean(v['new-edges']),
  });
  const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'client');
  const host = v.host ?? process.env.HOST ?? '127.0.0.1';
  const port = integerIn('port', v.port ?? process.env.PORT, 8080, 0, 65535);
  const token = v.token ?? process.env.NETSHADE_TOKEN;
  if (token !== undefined && token.trim() === '') throw new UsageError('--token (or NETSHADE_TOKEN) must not be empty');
  if (token === undefined && !isLoopback(host)) {
    throw new UsageError(`listening on ${host} lets other machines in: give a token with --token TOKEN or NETSHADE_TOKEN (or listen on 127.0.0.1)`);
  }
  const app = await buildApp({ pipeline, clientDir, frameFollowsViewers: followViewers, token });
  pipeline.errors.subscribe((err) => {
    console.error(err.message.startsWith('netshade:') ? err.message : `netshade: ${err.message}`);
    // A source that fails before its first packet (bad stdin, a pcap given to --follow)
    // leaves nothing to serve: stop, as a batch command would.
    if (pipeline.packets === 0 && pipeline.sourceDone) process.exit(1);
  });
  pipeline.start();
  const address = await app.listen({ host, port });
  console.log(`netshade: serving ${source.description} at ${address}/`);
  if (token !== undefined) console.log(`netshade: token required: open ${address}/?token=TOKEN, or send "Authorization: Bearer TOKEN"`);
  const shutdown = async () => {
    // A connection that never closes must not keep a stopped server alive.
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    await app.close();
    await pipeline.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
