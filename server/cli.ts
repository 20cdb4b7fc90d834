// `netshade` command line: parses arguments into a config and starts the right job.
//   serve                 replay the built-in demo traffic (generated pcap), looping
//   replay FILE|-         serve a capture (pcap, pcapng or tcpdump -qns 0 text)
//   render FILE -o PNG    one still picture of a whole capture
import { parseArgs } from 'node:util';
import { writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpeed, type ReplaySpeed } from './replay/pacer.js';
import { LivePipeline, type PipelineSource } from './pipeline/live-pipeline.js';
import { buildApp } from './http/app.js';
import { renderCapture } from './pipeline/render-capture.js';
import { openCapture, CaptureError } from './sources/open-capture.js';
import { ensureDemoCapture } from './sources/demo-capture.js';
import { HostTable } from '../shared/graph/hosts.js';
import type { EdgeMode, ShadeHow } from './pipeline/graph-picture.js';

const USAGE = `netshade: live network-traffic pictures

Usage:
  netshade serve [options]                 serve the built-in demo traffic (default)
  netshade replay FILE|- [options]         serve a capture: pcap, pcapng or tcpdump -qns 0 text (- = stdin)
  netshade render FILE -o OUT.png [opts]   draw one still picture of a whole capture

Serve/replay options:
  --host ADDR        address to bind (env HOST, default 127.0.0.1)
  --port N           port (env PORT, default 8080; 0 = any free port)
  --speed N|max      replay speed, times capture pace (replay default 1, demo default 10)
  --loop             start the capture again when it ends (always on for the demo)
  --window S         sliding window, capture seconds (default 60)
  --rebundle S       seconds between re-bundles when the graph changed (default 2)
  --size N           frame width and height in pixels (default 2000); or --width/--height
  --seed N           demo traffic seed (default 2012)
Picture options (all commands):
  --width W --height H   picture size (render default 2000x2000)
  --how eq_hist|log|linear|cbrt   shading (default eq_hist)
  --mode points|lines    draw bundled vertices as points (the reference) or polylines
  --no-bundle            straight edges instead of KDE edge bundling
`;

class UsageError extends Error {}

const options = {
  host: { type: 'string' }, port: { type: 'string' }, speed: { type: 'string' }, loop: { type: 'boolean' },
  window: { type: 'string' }, rebundle: { type: 'string' }, size: { type: 'string' }, width: { type: 'string' },
  height: { type: 'string' }, seed: { type: 'string' }, how: { type: 'string' }, mode: { type: 'string' },
  'no-bundle': { type: 'boolean' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function positiveNumber(name: string, text: string | undefined, fallback: number, integer = false): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be a ${integer ? 'non-negative integer' : 'non-negative number'}, got "${text}"`);
  }
  return v;
}

function pictureOptions(v: Values, defaultSize: number) {
  const size = positiveNumber('size', v.size, defaultSize, true);
  const width = positiveNumber('width', v.width, size, true);
  const height = positiveNumber('height', v.height, size, true);
  if (width < 16 || height < 16 || width > 16384 || height > 16384) throw new UsageError('picture size must be 16..16384 pixels a side');
  const how = (v.how ?? 'eq_hist') as ShadeHow;
  if (!['eq_hist', 'log', 'linear', 'cbrt'].includes(how)) throw new UsageError(`--how must be eq_hist, log, linear or cbrt, got "${v.how}"`);
  const mode = (v.mode ?? 'points') as EdgeMode;
  if (!['points', 'lines'].includes(mode)) throw new UsageError(`--mode must be points or lines, got "${v.mode}"`);
  return { width, height, how, mode, bundle: !v['no-bundle'] };
}

async function serve(v: Values, source: PipelineSource, speed: ReplaySpeed, loop: boolean): Promise<void> {
  const picture = pictureOptions(v, 2000);
  const pipeline = new LivePipeline({
    source, speed, loop,
    windowSeconds: positiveNumber('window', v.window, 60),
    rebundleMs: positiveNumber('rebundle', v.rebundle, 2) * 1000,
    frameWidth: picture.width, frameHeight: picture.height,
    how: picture.how, mode: picture.mode, bundle: picture.bundle,
  });
  const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'client');
  const app = await buildApp({ pipeline, clientDir });
  const host = v.host ?? process.env.HOST ?? '127.0.0.1';
  const port = positiveNumber('port', v.port ?? process.env.PORT, 8080, true);
  pipeline.errors.subscribe((err) => console.error(`netshade: ${err.message}`));
  pipeline.start();
  const address = await app.listen({ host, port });
  console.log(`netshade: serving ${source.description} at ${address}/`);
  const shutdown = async () => {
    await app.close();
    await pipeline.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function fileSource(path: string): PipelineSource {
  return { description: path === '-' ? 'stdin' : path, open: (hosts) => openCapture(path, hosts) };
}

async function main(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command = 'serve', ...rest] = positionals;
  if (v.help || command === 'help') { process.stdout.write(USAGE); return; }
  switch (command) {
    case 'serve': {
      if (rest.length) throw new UsageError(`serve takes no file (use replay FILE), got "${rest[0]}"`);
      const seed = positiveNumber('seed', v.seed, 2012, true);
      const path = await ensureDemoCapture(join(tmpdir(), 'netshade-cache'), { seed });
      const source: PipelineSource = { description: `demo traffic (seed ${seed})`, open: (hosts) => openCapture(path, hosts) };
      await serve(v, source, v.speed ? parseSpeed(v.speed) : 10, true);
      return;
    }
    case 'replay': {
      const file = rest[0];
      if (!file) throw new UsageError('replay needs a FILE (pcap, pcapng, tcpdump text, or - for stdin)');
      if (file === '-' && v.loop) throw new UsageError('--loop cannot re-read stdin');
      const speed = v.speed ? parseSpeed(v.speed) : 1;
      // Open once up front so a bad file fails here, with its message, before serving.
      if (file !== '-') await openCapture(file, new HostTable());
      await serve(v, fileSource(file), speed, Boolean(v.loop));
      return;
    }
    case 'render': {
      const file = rest[0];
      if (!file) throw new UsageError('render needs a FILE');
      if (!v.output) throw new UsageError('render needs -o OUT.png');
      const picture = pictureOptions(v, 2000);
      const result = await renderCapture(file, picture);
      await mkdir(dirname(v.output), { recursive: true });
      await writeFile(v.output, result.png);
      if (result.warning) console.error(`netshade: warning: ${result.warning}`);
      console.log(`netshade: ${file}: ${result.packets} packets, ${result.hosts} hosts, ${result.edges} edges -> ${v.output} (${picture.width}x${picture.height})`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof RangeError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`netshade: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (err instanceof CaptureError) {
    console.error(err.message.startsWith('netshade:') ? err.message : `netshade: ${err.message}`);
    process.exit(1);
  }
  if ((err as { code?: string }).code === 'EADDRINUSE') {
    console.error(`netshade: ${(err as Error).message} (choose another --port)`);
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
