// Runs the built CLI (dist/server/cli.js) as a user would: a child process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './data.js';

export const CLI = join(REPO_ROOT, 'dist', 'server', 'cli.js');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
}

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `netshade ARGS --port PORT` (default any free port) and resolves once it prints the address it serves at. */
export function startServer(args: string[], timeoutMs = 30_000, port = 0): Promise<RunningServer> {
  assertBuilt();
  const proc = spawn(process.execPath, [CLI, ...args, '--port', String(port)], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const stop = () => new Promise<void>((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
    proc.stdout!.on('data', () => {
      const m = /serving .* at (http:\/\/[^\s]+?)\/?$/m.exec(out);
      if (m) { clearTimeout(timer); resolve({ url: m[1], proc, output: () => out, stop }); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code} before serving:\n${out}`)); });
  });
}

/** Runs the CLI to completion. */
export function runCli(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  assertBuilt();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
