// What the live-capture tests need from the machine: root, tcpdump, a built `cap`. Where one is
// missing the tests skip, saying why; under CI (root, tcpdump installed) the tcpdump and root
// tests must run, so a missing one fails there instead. Traffic goes only to 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { describe } from 'vitest';
import { loadCap } from '../../../server/sources/live-capture.js';

const IS_ROOT = process.getuid?.() === 0;
const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
let capProblem: string | null = null;
try { loadCap(); } catch (err) { capProblem = (err as Error).message; }

function gate(missing: string | null, requiredUnderCi: boolean): typeof describe | typeof describe.skip {
  if (missing === null) return describe;
  if (process.env.CI && requiredUnderCi) throw new Error(`live-capture tests cannot run under CI: ${missing}`);
  console.warn(`[netshade tests] skipping live-capture tests: ${missing}`);
  return describe.skip;
}

/** Tests that run tcpdump on lo. */
export const describeTcpdump = gate(!IS_ROOT ? 'not running as root' : !HAVE_TCPDUMP ? 'tcpdump is not installed' : null, true);
/** Tests that capture on lo with cap (an optional module: absent in CI is a skip, not a failure). */
export const describeCap = gate(!IS_ROOT ? 'not running as root' : capProblem, false);
/** Tests that only list interfaces with cap. */
export const describeCapLoaded = gate(capProblem, false);

/** A UDP socket bound on 127.0.0.1 (so no ICMP port-unreachable answers) and a way to send to it. */
export async function udpTarget(): Promise<{ port: number; send(sizes: number[]): Promise<number>; close(): void }> {
  const receiver = createSocket('udp4');
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const sender = createSocket('udp4');
  await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
  const port = receiver.address().port;
  return {
    port,
    /** Sends one datagram per size (payload bytes); resolves with the sender's port. */
    async send(sizes) {
      for (const n of sizes) await new Promise<void>((resolve, reject) => sender.send(Buffer.alloc(n, 0x61), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
      return sender.address().port;
    },
    close() { receiver.close(); sender.close(); },
  };
}
