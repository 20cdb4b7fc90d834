// `netshade live` and `netshade interfaces` as a user runs them: capture on lo with cap and
// with a tcpdump child, follow a growing text file, and the one-line errors for what cannot work.
// Traffic goes only to 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli, startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/data.js';
import { describeCap, describeCapLoaded, describeTcpdump, udpTarget } from '../server/sources/live-env.js';

const dir = mkdtempSync(join(tmpdir(), 'netshade-live-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: RunningServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

type Stats = Record<string, unknown> & { packets: number; bytes: number; hosts: number; source: string; sourceDone: boolean; capture: { received: number; dropped: number | null; ifDropped: number | null } | null };

async function stats(s: RunningServer): Promise<Stats> {
  return await (await fetch(`${s.url}/api/stats`)).json() as Stats;
}

/** Waits until /api/stats has counted `packets` packets. */
function statsWith(s: RunningServer, packets: number): Promise<Stats> {
  return waitFor(`${packets} packets in /api/stats`, async () => {
    const st = await stats(s);
    return st.packets >= packets ? st : undefined;
  }, 20_000, 100);
}

const SIZES = [10, 200, 1000];
const SIZE_SUM = 1210;

describeCapLoaded('netshade interfaces', () => {
  it('lists lo, marked as the loopback interface', () => {
    const r = runCli(['interfaces']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^lo +127\.0\.0\.1\b.*\(loopback\)/m);
    const json = JSON.parse(runCli(['interfaces', '--json']).stdout) as { name: string; loopback: boolean }[];
    expect(json.find((d) => d.name === 'lo')?.loopback).toBe(true);
  });
});

describe('netshade live: usage errors', () => {
  it('needs an interface or a file, and takes no replay options', () => {
    const none = runCli(['live']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^netshade: live needs -i INTERFACE \(netshade interfaces lists them\) or --follow FILE\n/);
    const speed = runCli(['live', '-i', 'lo', '--speed', '2']);
    expect(speed.status).toBe(2);
    expect(speed.stderr).toMatch(/^netshade: --speed does not apply to live: packets are shown as they arrive\n/);
    const mixed = runCli(['live', '--follow', 'x.txt', '-i', 'lo']);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/^netshade: --interface does not apply to --follow/);
  });

  it('--follow of a directory fails with one line', () => {
    const r = runCli(['live', '--follow', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`netshade: ${dir}: is a directory, not a tcpdump text file\n`);
  });
});

describe('netshade live --follow FILE', () => {
  it('serves the packets of lines as they are appended', async () => {
    const path = join(dir, 'growing.txt');
    writeFileSync(path, '1700000000.000001 IP 10.0.0.1.1234 > 10.0.0.2.80: tcp 100\n');
    server = await startServer(['live', '--follow', path, '--size', '300']);
    expect((await statsWith(server, 1)).bytes).toBe(100);
    appendFileSync(path, '1700000000.500000 IP 10.0.0.3.53 > 10.0.0.1.5353: UDP, length 42\n');
    const st = await statsWith(server, 2);
    expect(st.bytes).toBe(142);
    expect(st.hosts).toBe(3);
    expect(st.source).toBe(`following ${path}`);
    expect(st.sourceDone).toBe(false);
  });
});

describeCap('netshade live -i lo (cap)', () => {
  it('serves the datagrams sent to 127.0.0.1', async () => {
    const target = await udpTarget();
    try {
      server = await startServer(['live', '-i', 'lo', '-f', `udp and port ${target.port}`, '--size', '300']);
      await target.send(SIZES);
      const st = await statsWith(server, SIZES.length);
      expect(st.packets).toBe(SIZES.length);
      expect(st.bytes).toBe(SIZE_SUM);
      expect(st.hosts).toBe(1);
      expect(st.source).toBe(`live capture on lo (udp and port ${target.port})`);
      // cap does not expose pcap_stats: received is what it delivered; the interface's drops
      // come from sysfs (lo has rx_dropped), the socket's are unknown.
      expect(st.capture).toEqual({ received: SIZES.length, dropped: null, ifDropped: 0 });
    } finally {
      target.close();
    }
  });

  it('a missing interface and a bad filter: one line each, exit status 1', () => {
    const noDevice = runCli(['live', '-i', 'netshade-nope0']);
    expect(noDevice.status).toBe(1);
    expect(noDevice.stderr).toMatch(/^netshade: interface netshade-nope0: no such interface \(there are: [^\n]*\blo\b[^\n]*\)\n$/);
    const badFilter = runCli(['live', '-i', 'lo', '-f', 'udp and prot 5']);
    expect(badFilter.status).toBe(1);
    expect(badFilter.stderr).toBe('netshade: filter "udp and prot 5": syntax error in filter expression\n');
  });

  const setpriv = spawnSync('setpriv', ['--version']).status === 0 && process.getuid?.() === 0;
  (setpriv ? it : it.skip)('without permission (run as nobody): one line saying how to fix it', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'live', '-i', 'lo'], {
      cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^netshade: interface lo: no permission to capture \([^)]*\): run netshade as root, or give node the capability: sudo setcap cap_net_raw,cap_net_admin=eip /m);
  });
});

describeTcpdump('netshade live --tcpdump -i lo', () => {
  it('serves the datagrams sent to 127.0.0.1, and shows what tcpdump says', async () => {
    const target = await udpTarget();
    try {
      server = await startServer(['live', '--tcpdump', '-i', 'lo', '-f', `udp and port ${target.port}`, '--size', '300']);
      expect(server.output()).toMatch(/^tcpdump: listening on lo\b/m);
      await target.send(SIZES);
      const st = await statsWith(server, SIZES.length);
      expect(st.packets).toBe(SIZES.length);
      expect(st.bytes).toBe(SIZE_SUM);
      expect(st.hosts).toBe(1);
      expect(st.source).toBe(`tcpdump -i lo udp and port ${target.port}`);
      // libpcap's counters, from tcpdump's once-a-second report: nothing dropped on loopback.
      const counted = await waitFor('capture counters', async () => { const s = await stats(server!); return s.capture ?? undefined; });
      expect(counted.received).toBeGreaterThanOrEqual(SIZES.length);
      expect(counted.dropped).toBe(0);
    } finally {
      target.close();
    }
  });

  it('a missing interface: what tcpdump said, in one message, exit status 1', () => {
    const r = runCli(['live', '--tcpdump', '-i', 'netshade-nope0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^netshade: tcpdump: netshade-nope0: No such device exists[^\n]*\(no interface "netshade-nope0": netshade interfaces lists them\)\n$/);
  });
});
