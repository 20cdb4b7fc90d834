import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { Proto, type PacketBatch } from '../../../shared/records.js';
import { capLoadError, captureErrorFor, interfaceDropCounter, linkTypeFromCap, listInterfaces, LiveCapture } from '../../../server/sources/live-capture.js';
import { describeCap, describeCapLoaded, udpTarget } from './live-env.js';

const SETCAP = 'sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which node)")"';

describe('captureErrorFor: what libpcap says when opening fails, as advice', () => {
  it('no permission (libpcap 1.9 and 1.10 wordings)', () => {
    expect(captureErrorFor('eth0', new Error('socket: Operation not permitted')).message)
      .toBe(`netshade: interface eth0: no permission to capture (socket: Operation not permitted): run netshade as root, or give node the capability: ${SETCAP}`);
    expect(captureErrorFor('eth0', new Error('Attempt to create packet socket failed - CAP_NET_RAW may be required')).message)
      .toMatch(/^netshade: interface eth0: no permission to capture \(Attempt to create packet socket failed - CAP_NET_RAW may be required\): run netshade as root/);
    expect(captureErrorFor('en0', new Error("(cannot open BPF device) /dev/bpf0: Permission denied")).message).toContain(SETCAP);
  });

  it('no such device, a bad filter, anything else', () => {
    expect(captureErrorFor('eth7', new Error('No such device exists')).message)
      .toBe('netshade: interface eth7: no such interface (netshade interfaces lists them)');
    expect(captureErrorFor('lo', new Error('syntax error in filter expression'), 'tcp prot 1').message)
      .toBe('netshade: filter "tcp prot 1": syntax error in filter expression');
    expect(captureErrorFor('lo', new Error('lo: That device is not up')).message)
      .toBe('netshade: interface lo: cannot capture: lo: That device is not up');
  });
});

describe('capLoadError: cap not built (or libpcap missing)', () => {
  it('says how to build it', () => {
    const err = new Error("Cannot find module '../build/Release/cap.node'\nRequire stack:\n- node_modules/cap/lib/Cap.js");
    expect(capLoadError(err).message).toBe("netshade: cap: the optional live-capture module cannot be loaded (Cannot find module '../build/Release/cap.node'); "
      + 'build it against libpcap: apt-get install libpcap-dev && npm rebuild cap (or capture with --tcpdump)');
  });
});

describe('interfaceDropCounter: ps_ifdrop as libpcap reads it on Linux', () => {
  it('counts the interface\'s rx_dropped from when it starts, and nothing where there is no counter', () => {
    const root = mkdtempSync(join(tmpdir(), 'netshade-sysfs-'));
    mkdirSync(join(root, 'eth7', 'statistics'), { recursive: true });
    const file = join(root, 'eth7', 'statistics', 'rx_dropped');
    writeFileSync(file, '1200\n');
    const drops = interfaceDropCounter('eth7', root);
    expect(drops()).toBe(0);
    writeFileSync(file, '1234\n');
    expect(drops()).toBe(34);
    expect(interfaceDropCounter('any', root)()).toBeNull();
    expect(interfaceDropCounter('../eth7', root)()).toBeNull();
  });
});

describe('linkTypeFromCap', () => {
  it('maps the names cap returns to LINKTYPE_* numbers', () => {
    // Numbers from the tcpdump.org link-layer header types list.
    expect(['NULL', 'ETHERNET', 'IEEE802_11_RADIO', 'LINKTYPE_LINUX_SLL', 'RAW', 'Unknown linktype 276', 'Unknown linktype 12'].map(linkTypeFromCap))
      .toEqual([0, 1, 127, 113, 101, 276, 12]);
  });
});

describeCapLoaded('listInterfaces', () => {
  it('lists lo as a loopback interface with 127.0.0.1, and the any device', () => {
    const devices = listInterfaces();
    const lo = devices.find((d) => d.name === 'lo');
    expect(lo).toBeDefined();
    expect(lo!.loopback).toBe(true);
    expect(lo!.addresses).toContain('127.0.0.1');
    if (process.platform === 'linux') expect(devices.map((d) => d.name)).toContain('any');
  });
});

/** Collects rows until `count` have come (failing after 10 s instead of hanging). */
async function take(capture: LiveCapture, count: number): Promise<PacketBatch[]> {
  const out: PacketBatch[] = [];
  const it = capture.batches()[Symbol.asyncIterator]();
  let rows = 0;
  const timer = setTimeout(() => capture.close(), 10_000);
  while (rows < count) {
    const next = await it.next();
    if (next.done) break;
    out.push(next.value);
    rows += next.value.length;
  }
  clearTimeout(timer);
  await it.return?.(undefined);
  return out;
}

describeCap('LiveCapture', () => {
  const SIZES = [0, 64, 1400];

  // lo is Ethernet-framed; any is Linux cooked (SLL): both decode to the same flows.
  for (const iface of ['lo', ...(process.platform === 'linux' ? ['any'] : [])]) {
    it(`on ${iface}: the datagrams sent to 127.0.0.1, with addresses, ports, proto and UDP payload length`, async () => {
      const target = await udpTarget();
      try {
        const hosts = new HostTable();
        const capture = new LiveCapture({ interface: iface, filter: `udp and port ${target.port}`, flushMs: 20 }, hosts);
        expect(capture.linkType).toBe(iface === 'lo' ? 1 : 113);
        const before = Date.now() / 1000;
        const srcPort = await target.send(SIZES);
        const batches = await take(capture, SIZES.length);
        const got = batches.flatMap((b) => Array.from({ length: b.length }, (_, i) => ({
          src: hosts.address(b.src[i]), dst: hosts.address(b.dst[i]), srcPort: b.srcPort[i], dstPort: b.dstPort[i], proto: b.proto[i], bytes: b.bytes[i], time: b.time[i],
        })));
        expect(got.map(({ time, ...rest }) => rest)).toEqual(SIZES.map((bytes) => ({
          src: '127.0.0.1', dst: '127.0.0.1', srcPort, dstPort: target.port, proto: Proto.udp, bytes,
        })));
        // cap passes no capture time: records carry the time they arrived, epoch seconds.
        for (const r of got) expect(Math.abs(r.time - before)).toBeLessThan(60);
        const stats = capture.stats();
        expect(stats.packets).toBe(SIZES.length);
        expect(stats.capture).toEqual({ received: SIZES.length, dropped: null, ifDropped: iface === 'any' ? null : 0 });
        expect(stats.warning).toBeNull();
      } finally {
        target.close();
      }
    });
  }

  it('--snaplen shorter than the frame still decodes the headers and the UDP length', async () => {
    const target = await udpTarget();
    try {
      const hosts = new HostTable();
      const capture = new LiveCapture({ interface: 'lo', filter: `udp and port ${target.port}`, snaplen: 64, flushMs: 20 }, hosts);
      await target.send([1000]);
      const [b] = await take(capture, 1);
      expect(b.bytes[0]).toBe(1000);
      expect(b.proto[0]).toBe(Proto.udp);
    } finally {
      target.close();
    }
  });

  it('a missing interface and a bad filter throw a CaptureError', () => {
    expect(() => new LiveCapture({ interface: 'netshade-nope0' }, new HostTable())).toThrow(/^netshade: interface netshade-nope0: no such interface \(there are: .*\blo\b/);
    expect(() => new LiveCapture({ interface: 'lo', filter: 'udp and prot 5' }, new HostTable()))
      .toThrow('netshade: filter "udp and prot 5": syntax error in filter expression');
  });
});
