// Serve group: the built server (`netshade serve`, the demo at 10x, a frame each re-bundle
// interval) with 20 viewers on its WebSocket, one of them stalled (it stops reading its
// socket, as a frozen browser tab would). Over MEASURE_S seconds it reports the lowest frame
// rate any live viewer got, against the configured rate, and the longest event-loop delay the
// server reported in its stats messages meanwhile, plus the server's memory: resident at the
// start and at the end of the measurement (flat: a stalled viewer's frames are dropped, not
// queued) and its peak.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../shared/protocol.js';
import { REPO_ROOT } from './data.js';
import type { Row } from './report.js';

const CLI = join(REPO_ROOT, 'dist', 'server', 'cli.js');
const VIEWERS = 20;
const REBUNDLE_S = 1;
const FRAME_SIZE = 1000;
const WARMUP_S = 8;
const MEASURE_S = 20;

interface Viewer { socket: WebSocket; frames: number; first: number; last: number; stalled: boolean }

function startServer(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--rebundle', String(REBUNDLE_S), '--size', String(FRAME_SIZE)], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve bench: server did not start:\n${out}`)), 60_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /serving .* at (http:\/\/\S+?)\/?$/m.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1] }); }
    });
    proc.stderr!.on('data', (d) => { out += d; });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve bench: server exited ${code}:\n${out}`)); });
  });
}

function connectViewer(url: string, stalled: boolean, onStats: (eventLoopMaxMs: number) => void): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
    const viewer: Viewer = { socket, frames: 0, first: 0, last: 0, stalled };
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const now = performance.now();
        if (viewer.frames++ === 0) viewer.first = now;
        viewer.last = now;
        return;
      }
      const m = JSON.parse(String(data)) as ServerMessage;
      if (m.type === 'stats') onStats(m.stats.eventLoopMaxMs);
    });
    socket.once('open', () => {
      // A stalled viewer stops reading: the server's side of its socket fills up.
      if (stalled) (socket as unknown as { _socket: { pause(): void } })._socket.pause();
      resolve(viewer);
    });
    socket.once('error', reject);
  });
}

/** Resident memory of a process, MB: now (Linux VmRSS) or its peak (VmHWM). */
function rssMb(pid: number, which: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${which}:\\s*(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? (Number(m[1]) * 1024) / 1e6 : NaN;
}

export async function benchServe(log: (line: string) => void): Promise<Row[]> {
  if (!existsSync(CLI)) throw new Error(`serve bench: ${CLI} is missing (npm run build)`);
  const { proc, url } = await startServer();
  try {
    let loopMax = 0, measuring = false;
    const viewers: Viewer[] = [];
    for (let i = 0; i < VIEWERS; i++) {
      viewers.push(await connectViewer(url, i === 0, (ms) => { if (measuring && i === 1) loopMax = Math.max(loopMax, ms); }));
    }
    log(`serve: ${VIEWERS} viewers (1 stalled) on ${url}, frames ${FRAME_SIZE}x${FRAME_SIZE} every ${REBUNDLE_S} s; warming up ${WARMUP_S} s`);
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    for (const v of viewers) v.frames = 0;
    measuring = true;
    const rssBefore = rssMb(proc.pid!, 'VmRSS');
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
    const seconds = (performance.now() - t0) / 1000;
    measuring = false;
    // A viewer's rate: frames after its first one over the time they took to come.
    const live = viewers.filter((v) => !v.stalled).map((v) => (v.frames > 1 ? (v.frames - 1) / ((v.last - v.first) / 1000) : 0));
    const minFps = Math.min(...live), maxFps = Math.max(...live);
    const stalledFrames = viewers[0].frames;
    const rssAfter = rssMb(proc.pid!, 'VmRSS'), rssPeak = rssMb(proc.pid!, 'VmHWM');
    for (const v of viewers) v.socket.terminate();
    log(`serve: live viewers ${minFps.toFixed(2)}..${maxFps.toFixed(2)} frames/s, stalled viewer ${stalledFrames} frames, event loop max ${loopMax.toFixed(1)} ms`);
    return [
      { key: 'serve_20_viewers_min_fps', value: minFps, unit: 'frames/s', note: `configured ${(1 / REBUNDLE_S).toFixed(2)}/s; ${VIEWERS - 1} live viewers, max ${maxFps.toFixed(2)}/s, over ${seconds.toFixed(0)} s` },
      { key: 'serve_event_loop_max_ms', value: loopMax, unit: 'ms', note: 'longest delay in the server\'s stats messages meanwhile' },
      { label: 'serve: server RSS at the start of the measurement', value: rssBefore, unit: 'MB' },
      { label: `serve: server RSS ${seconds.toFixed(0)} s later`, value: rssAfter, unit: 'MB' },
      { label: 'serve: server peak RSS', value: rssPeak, unit: 'MB' },
    ];
  } finally {
    proc.kill('SIGTERM');
  }
}
