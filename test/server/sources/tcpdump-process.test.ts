import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureError } from '../../../server/sources/open-capture.js';
import { TcpdumpProcess, tcpdumpArgs } from '../../../server/sources/tcpdump-process.js';
import { describeTcpdump, udpTarget } from './live-env.js';

const dir = mkdtempSync(join(tmpdir(), 'netshade-tcpdump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for tcpdump: a shell script that prints what a real one would, then exits. */
function fakeTcpdump(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<CaptureError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CaptureError);
  return err as CaptureError;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += Buffer.from(chunk).toString('utf8');
  return text;
}

describe('tcpdumpArgs', () => {
  it('asks for line-buffered, numeric, quiet text with epoch stamps, unbuffered delivery', () => {
    expect(tcpdumpArgs({ interface: 'eth0' })).toEqual(['-l', '-n', '-q', '-tt', '--immediate-mode', '-s', '0', '-i', 'eth0', '-p']);
  });
  it('passes snaplen, promiscuous mode, buffer size (in KiB) and the filter', () => {
    expect(tcpdumpArgs({ interface: 'any', snaplen: 128, promisc: true, bufferMb: 4, filter: 'tcp port 80' }))
      .toEqual(['-l', '-n', '-q', '-tt', '--immediate-mode', '-s', '128', '-i', 'any', '-B', '4096', 'tcp port 80']);
  });
});

describe('TcpdumpProcess with a stand-in program', () => {
  it('a missing program: says to install tcpdump', async () => {
    const err = await failure(TcpdumpProcess.start({ interface: 'lo', binary: join(dir, 'no-such-tcpdump') }));
    expect(err.message).toBe(`netshade: ${join(dir, 'no-such-tcpdump')}: not found: install tcpdump (e.g. apt-get install tcpdump), or capture without --tcpdump`);
  });

  it('no permission: one message with what tcpdump said and how to fix it', async () => {
    const binary = fakeTcpdump('denied', `echo "tcpdump: lo: You don't have permission to perform this capture on that device" >&2
echo "(socket: Operation not permitted)" >&2
exit 1`);
    const err = await failure(TcpdumpProcess.start({ interface: 'lo', binary }));
    expect(err.message).toBe(`netshade: ${binary}: lo: You don't have permission to perform this capture on that device (socket: Operation not permitted)`
      + ': run netshade as root, or let tcpdump capture: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which tcpdump)")"');
  });

  it('shows stderr, keeps the last complaint as the warning, and reports how tcpdump ended', async () => {
    const binary = fakeTcpdump('dies', `echo "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode" >&2
echo "listening on eth9, link-type EN10MB (Ethernet), snapshot length 262144 bytes" >&2
echo "1700000000.000001 IP 10.0.0.1.1234 > 10.0.0.2.80: tcp 100"
echo "tcpdump: pcap_loop: The interface disappeared" >&2
echo "1 packet captured" >&2
echo "3 packets received by filter" >&2
echo "2 packets dropped by kernel" >&2
echo "1 packet dropped by interface" >&2
exit 1`);
    const shown: string[] = [];
    const proc = await TcpdumpProcess.start({ interface: 'eth9', binary, onStderr: (line) => shown.push(line), statsEveryMs: 0 });
    expect(await readAll(proc.stdout())).toBe('1700000000.000001 IP 10.0.0.1.1234 > 10.0.0.2.80: tcp 100\n');
    for (let i = 0; i < 100 && proc.exit === null; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proc.exit).toEqual({ code: 1, signal: null });
    expect(shown).toEqual([
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
      'listening on eth9, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      'tcpdump: pcap_loop: The interface disappeared',
    ]);
    expect(proc.warning).toBe('tcpdump exited with status 1: tcpdump: pcap_loop: The interface disappeared');
    expect(proc.counters).toEqual({ received: 3, dropped: 2, ifDropped: 1 });
  });
});

describeTcpdump('TcpdumpProcess on lo', () => {
  it('sees the datagrams sent to 127.0.0.1, answers SIGUSR1 with libpcap counters, and stops cleanly', async () => {
    const target = await udpTarget();
    try {
      const proc = await TcpdumpProcess.start({ interface: 'lo', filter: `udp and port ${target.port}`, statsEveryMs: 100 });
      const srcPort = await target.send([5, 50]);
      const lines: string[] = [];
      const it = proc.stdout()[Symbol.asyncIterator]();
      let text = '';
      while (lines.length < 2) {
        text += Buffer.from((await it.next()).value as Uint8Array).toString('utf8');
        lines.splice(0, lines.length, ...text.split('\n').filter(Boolean));
      }
      // -tt: epoch seconds first; -q: "UDP, length N" with the payload length.
      expect(lines.map((l) => l.replace(/^\d+\.\d{6} /, 'T '))).toEqual([
        `T IP 127.0.0.1.${srcPort} > 127.0.0.1.${target.port}: UDP, length 5`,
        `T IP 127.0.0.1.${srcPort} > 127.0.0.1.${target.port}: UDP, length 50`,
      ]);
      for (let i = 0; i < 100 && proc.counters === null; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(proc.counters!.received).toBeGreaterThanOrEqual(2);
      expect(proc.counters!.dropped).toBe(0);
      expect(proc.exit).toBeNull(); // SIGUSR1 asked for counters; it did not end tcpdump
      proc.stop();
      for (let i = 0; i < 100 && proc.exit === null; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(proc.exit).toEqual({ code: 0, signal: null });
      expect(proc.warning).toBe('tcpdump exited with status 0');
    } finally {
      target.close();
    }
  });

  it('a missing interface and a bad filter fail with what tcpdump said', async () => {
    const noDevice = await failure(TcpdumpProcess.start({ interface: 'netshade-nope0' }));
    expect(noDevice.message).toMatch(/^netshade: tcpdump: netshade-nope0: No such device exists .*\(no interface "netshade-nope0": netshade interfaces lists them\)$/);
    const badFilter = await failure(TcpdumpProcess.start({ interface: 'lo', filter: 'udp and prot 5' }));
    expect(badFilter.message).toBe('netshade: tcpdump: syntax error in filter expression (in the filter "udp and prot 5")');
  });
});
