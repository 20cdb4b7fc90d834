import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ensureDemoCapture, demoCaptureName, DEMO_DEFAULT_SEED } from '../../../server/sources/demo-capture.js';
import { generateDemoTraffic, mulberry32 } from '../../../server/sources/demo-traffic.js';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
if (!HAVE_TCPDUMP) {
  if (process.env.CI) throw new Error('tcpdump is required under CI (install tcpdump)');
  console.warn('[netshade tests] skipping tcpdump checks of the demo capture: tcpdump not found on PATH');
}

const small = { durationS: 5, hosts: 300, packetsPerSecond: 400 };
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'netshade-demo-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Record count and header facts of a classic little-endian pcap, read field by field. */
function readPcap(buf: Buffer) {
  expect(buf.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect([buf.readUInt16LE(4), buf.readUInt16LE(6)]).toEqual([2, 4]);
  const snaplen = buf.readUInt32LE(16), linktype = buf.readUInt32LE(20);
  let o = 24, records = 0, maxIncl = 0, truncated = 0, origBelowIncl = 0;
  while (o < buf.length) {
    const incl = buf.readUInt32LE(o + 8), orig = buf.readUInt32LE(o + 12);
    if (orig < incl) origBelowIncl++;
    if (orig > incl) truncated++;
    maxIncl = Math.max(maxIncl, incl);
    o += 16 + incl;
    records++;
  }
  expect(o).toBe(buf.length);
  expect(origBelowIncl).toBe(0);
  return { snaplen, linktype, records, maxIncl, truncated };
}

describe('ensureDemoCapture', () => {
  it('writes demo-<seed>-<hash>.pcap once and reuses it', async () => {
    const path = await ensureDemoCapture(dir, { seed: 7, ...small });
    expect(basename(path)).toMatch(/^demo-7-[0-9a-f]{12}\.pcap$/);
    expect(basename(path)).toBe(demoCaptureName({ seed: 7, ...small }));
    const before = statSync(path);
    writeFileSync(path, 'kept'); // a second call must not regenerate a file that is present
    expect(await ensureDemoCapture(dir, { seed: 7, ...small })).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('kept');
    expect(statSync(path).ino).toBe(before.ino);
    rmSync(path);
  });

  it('writes a small pcap with header-only records of the requested number of packets', async () => {
    const path = await ensureDemoCapture(dir, { seed: 8, ...small });
    const f = readPcap(readFileSync(path));
    expect(f).toMatchObject({ snaplen: 96, linktype: 1, records: 2000 });
    expect(f.maxIncl).toBeLessThanOrEqual(54); // Ethernet + IPv4 + TCP headers, no payload
    expect(f.truncated).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('gives byte-identical files for one seed and different ones for another', async () => {
    const a = await ensureDemoCapture(join(dir, 'a'), { seed: 9, ...small });
    const b = await ensureDemoCapture(join(dir, 'b', 'nested'), { seed: 9, ...small });
    const c = await ensureDemoCapture(join(dir, 'a'), { seed: 10, ...small });
    expect(basename(a)).toBe(basename(b));
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(basename(c)).not.toBe(basename(a));
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  it('names files by the options too, defaults included', () => {
    const name = demoCaptureName({ seed: 1 });
    expect(demoCaptureName({ seed: 1, durationS: 600 })).toBe(name);
    expect(demoCaptureName({ seed: 1, durationS: 601 })).not.toBe(name);
    expect(demoCaptureName({ seed: 1, hosts: 2999 })).not.toBe(name);
    expect(demoCaptureName()).toMatch(new RegExp(`^demo-${DEMO_DEFAULT_SEED}-`));
  });

  it('validates before touching the disk', async () => {
    await expect(ensureDemoCapture('', small)).rejects.toThrow(TypeError);
    await expect(ensureDemoCapture(join(dir, 'never'), { seed: -1 })).rejects.toThrow(/seed/);
    await expect(ensureDemoCapture(join(dir, 'never'), { seed: 1, hosts: 1 })).rejects.toThrow(/hosts/);
    await expect(ensureDemoCapture(join(dir, 'never'), { seed: 1, color: 'red' } as never)).rejects.toThrow(/unknown demo option/);
    expect(readdirSync(dir)).not.toContain('never');
  });

  it('writes the default demo small enough to ship: 360,000 packets in a few tens of MB', async () => {
    const path = await ensureDemoCapture(dir);
    const buf = readFileSync(path);
    expect(readPcap(buf).records).toBe(360000);
    expect(buf.length).toBeLessThan(40e6);
    rmSync(path);
  });
});

describe.skipIf(!HAVE_TCPDUMP)('tcpdump reads the demo capture', () => {
  const opts = { seed: 21, durationS: 5, hosts: 400, packetsPerSecond: 600 };
  const lineRe = /^(\d\d):(\d\d):(\d\d)\.(\d{6}) IP (\d+\.\d+\.\d+\.\d+)(?:\.(\d+))? > (\d+\.\d+\.\d+\.\d+)(?:\.(\d+))?: (?:tcp (\d+)|UDP, length (\d+)|ICMP echo (?:request|reply), id \d+, seq \d+, length (\d+))$/;

  it('prints one well-formed line per packet, the same byte total, times in order', async () => {
    const path = await ensureDemoCapture(dir, opts);
    const r = spawnSync('tcpdump', ['-qns', '0', '-r', path], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(3000);
    let sum = 0, prev = -1;
    for (const line of lines) {
      const m = lineRe.exec(line);
      expect(m, line).not.toBeNull();
      const [, hh, mm, ss, us, , sp, , dp, tcp, udp, icmp] = m!;
      expect(sp === undefined, line).toBe(icmp !== undefined); // ports exactly when not ICMP
      expect(dp === undefined, line).toBe(icmp !== undefined);
      sum += Number(tcp ?? udp ?? icmp);
      const t = ((Number(hh) * 60 + Number(mm)) * 60 + Number(ss)) * 1e6 + Number(us);
      expect(t, line).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
    expect(lines[0] >= '12:30:00').toBe(true);
    expect(lines[lines.length - 1] < '12:30:05').toBe(true);
    const d = generateDemoTraffic(mulberry32(opts.seed), { durationS: 5, hosts: 400, packetsPerSecond: 600 });
    expect(sum).toBe(d.bytes.reduce((a, b) => a + b, 0));
  });
});
