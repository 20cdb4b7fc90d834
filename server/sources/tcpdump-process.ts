// A tcpdump that netshade starts itself: `tcpdump -l -n -q -tt`, whose line-buffered stdout is
// the text TcpdumpTextParser reads (epoch -tt stamps, so no time zone is involved; TZ=UTC all
// the same). Its stderr lines are passed on, and the statistics it prints on SIGUSR1 (libpcap's
// received / dropped by kernel / dropped by interface counters) are asked for every second.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { CaptureError } from './open-capture.js';

export interface TcpdumpOptions {
  /** Interface to capture on (-i), e.g. eth0, lo or any. */
  interface: string;
  /** BPF filter expression (tcpdump's trailing arguments). */
  filter?: string;
  /** Bytes captured per packet (-s); 0 = tcpdump's maximum (default). */
  snaplen?: number;
  /** Without it, tcpdump is told not to put the interface in promiscuous mode (-p). */
  promisc?: boolean;
  /** Kernel capture buffer in MiB (-B); tcpdump's default when absent. */
  bufferMb?: number;
  /** The program to run (default `tcpdump`, looked up in PATH). */
  binary?: string;
  /** How often (ms) to ask tcpdump for its counters with SIGUSR1 (default 1000; 0 = never). */
  statsEveryMs?: number;
  /** How long (ms) to wait for tcpdump to say it is listening (default 10 s). */
  startTimeoutMs?: number;
  /** Each stderr line tcpdump prints, except the counters netshade asked for (default: dropped). */
  onStderr?: (line: string) => void;
}

/** libpcap's counters as tcpdump reports them. */
export interface CaptureCounters {
  /** Packets the kernel's filter passed to the capture (libpcap ps_recv). */
  received: number;
  /** Dropped for lack of buffer space (ps_drop); null where the source cannot tell. */
  dropped: number | null;
  /** Dropped by the interface or its driver (ps_ifdrop); null where the source cannot tell. */
  ifDropped: number | null;
}

/** The command line for the options (without the program name). */
export function tcpdumpArgs(opts: TcpdumpOptions): string[] {
  const args = ['-l', '-n', '-q', '-tt', '--immediate-mode', '-s', String(opts.snaplen ?? 0), '-i', opts.interface];
  if (!opts.promisc) args.push('-p');
  if (opts.bufferMb !== undefined) args.push('-B', String(Math.round(opts.bufferMb * 1024)));
  if (opts.filter !== undefined && opts.filter.trim() !== '') args.push(opts.filter);
  return args;
}

const RECEIVED = /(\d+) packets? received by filter/;
const DROPPED = /(\d+) packets? dropped by kernel/;
const IF_DROPPED = /(\d+) packets? dropped by interface/;
const CAPTURED = /^(?:tcpdump: )?\d+ packets? captured/;
/** Lines tcpdump prints on every start: not worth a warning. */
const CHATTER = /^(listening on |tcpdump: verbose output suppressed|tcpdump: data link type )/;

export class TcpdumpProcess {
  /** Counters from tcpdump's latest report (null before the first). */
  counters: CaptureCounters | null = null;
  /** How tcpdump ended, once it has. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private readonly child: ChildProcess;
  private readonly out: PassThrough;
  private readonly statsTimer: NodeJS.Timeout | null;
  private readonly killOnExit = (): void => { this.child.kill('SIGTERM'); };
  private readonly exited: Promise<void>;
  private onExit: () => void = () => {};
  /** The latest stderr line that is not routine. */
  private problem: string | null = null;

  private constructor(child: ChildProcess, out: PassThrough, private readonly opts: TcpdumpOptions) {
    this.child = child;
    this.out = out;
    this.exited = new Promise((resolve) => { this.onExit = resolve; });
    const every = opts.statsEveryMs ?? 1000;
    // SIGUSR1 only once listening: before tcpdump installs its handler, the signal would kill it.
    this.statsTimer = every > 0 ? setInterval(() => this.child.kill('SIGUSR1'), every) : null;
    this.statsTimer?.unref();
    if (child.exitCode !== null || child.signalCode !== null) { this.ended(child.exitCode, child.signalCode); return; }
    // A tcpdump left behind would capture on, unseen, after netshade is gone.
    process.once('exit', this.killOnExit);
    child.once('exit', (code, signal) => this.ended(code, signal));
  }

  /**
   * Starts tcpdump and resolves once it is listening. Rejects with a CaptureError when the
   * program is missing or tcpdump exits first (no such interface, no permission, bad filter).
   */
  static start(opts: TcpdumpOptions): Promise<TcpdumpProcess> {
    const binary = opts.binary ?? 'tcpdump';
    const startTimeoutMs = opts.startTimeoutMs ?? 10_000;
    const child = spawn(binary, tcpdumpArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    // Read stdout from the start: Node lets an unread child stdout flow away once the child
    // exits, so a short-lived tcpdump's last lines would be lost before anyone iterates them.
    const out = new PassThrough();
    child.stdout!.pipe(out);
    const stderr: string[] = [];
    return new Promise((resolve, reject) => {
      let started: TcpdumpProcess | null = null;
      let stderrDone = false, exitedEarly: (() => void) | null = null;
      const fail = (problem: string): void => { clearTimeout(timer); child.kill('SIGTERM'); reject(new CaptureError(binary, problem)); };
      const timer = setTimeout(() => {
        const text = said(stderr);
        fail(`did not start listening within ${startTimeoutMs} ms${text ? `: ${text}` : ''}`);
      }, startTimeoutMs);
      child.once('error', (err: NodeJS.ErrnoException) => {
        fail(err.code === 'ENOENT'
          ? 'not found: install tcpdump (e.g. apt-get install tcpdump), or capture without --tcpdump'
          : `cannot run (${err.code ?? err.message})`);
      });
      child.once('exit', (code, signal) => {
        if (started !== null) return;
        // Report once all it said has been read.
        exitedEarly = () => fail(`${said(stderr) || `${exitText(code, signal)} before capturing`}${adviceFor(stderr.join('\n'), opts)}`);
        if (stderrDone) exitedEarly();
      });
      splitLines(child.stderr!, (line) => {
        if (started !== null) { started.stderrLine(line); return; }
        stderr.push(line);
        if (line.startsWith('listening on ')) {
          clearTimeout(timer);
          // Shown only now: when tcpdump cannot start, what it said is in the error instead.
          for (const l of stderr) opts.onStderr?.(l);
          started = new TcpdumpProcess(child, out, opts);
          resolve(started);
        }
      }, () => { stderrDone = true; exitedEarly?.(); });
    });
  }

  /** tcpdump's stdout: one chunk per read; ends when tcpdump exits. */
  stdout(): AsyncIterable<Uint8Array> {
    return this.out;
  }

  /** Resolves once tcpdump has exited (its stdout can end a little before). */
  whenExited(): Promise<void> {
    return this.exited;
  }

  /** Asks tcpdump to stop (SIGTERM); it prints its final counters and exits. */
  stop(): void {
    if (this.exit === null) this.child.kill('SIGTERM');
  }

  private ended(code: number | null, signal: NodeJS.Signals | null): void {
    process.off('exit', this.killOnExit);
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.exit = { code, signal };
    this.onExit();
  }

  /** The latest stderr line that is not routine, and how tcpdump ended once it has. */
  get warning(): string | null {
    if (this.exit === null) return this.problem;
    const { code, signal } = this.exit;
    const expected = code === 0 || signal === 'SIGTERM';
    return `tcpdump ${exitText(code, signal)}${!expected && this.problem !== null ? `: ${this.problem}` : ''}`;
  }

  private stderrLine(line: string): void {
    const received = RECEIVED.exec(line), dropped = DROPPED.exec(line), ifDropped = IF_DROPPED.exec(line);
    if (received || dropped || ifDropped || CAPTURED.test(line)) {
      // The answer to SIGUSR1 is one line; the report at exit spreads over several.
      const c = this.counters ?? { received: 0, dropped: 0, ifDropped: 0 };
      if (received) c.received = Number(received[1]);
      if (dropped) c.dropped = Number(dropped[1]);
      // tcpdump prints the interface drops only when there are some.
      c.ifDropped = ifDropped ? Number(ifDropped[1]) : received ? 0 : c.ifDropped;
      this.counters = c;
      return;
    }
    this.opts.onStderr?.(line);
    if (!CHATTER.test(line)) this.problem = line;
  }
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `ended by ${signal}` : `exited with status ${code}`;
}

/** What tcpdump said, routine lines and its name left out, as one line. */
function said(lines: string[]): string {
  return lines.filter((l) => !CHATTER.test(l)).map((l) => l.replace(/^tcpdump: /, '')).join(' ').trim();
}

/** What to do about the usual reasons tcpdump refuses to start. */
function adviceFor(stderr: string, opts: TcpdumpOptions): string {
  if (/permission|not permitted/i.test(stderr)) {
    return ': run netshade as root, or let tcpdump capture: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which tcpdump)")"';
  }
  if (/no such device/i.test(stderr)) return ` (no interface "${opts.interface}": netshade interfaces lists them)`;
  if (opts.filter && /syntax error|filter expression/i.test(stderr)) return ` (in the filter "${opts.filter}")`;
  return '';
}

/** Calls onLine for each non-blank line of a text stream (a last unterminated one at its end), then onEnd. */
function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void, onEnd: () => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line.trim() !== '') onLine(line.trimEnd());
  });
  stream.on('end', () => {
    if (rest.trim() !== '') onLine(rest.trimEnd());
    onEnd();
  });
}
