// Random truncations and byte flips of real captures and tcpdump text, fed in random chunk
// sizes: nothing may throw out of a reader, every record must be well formed, and every
// packet must be counted (as graphed, or under a skip reason). Seeded, so a failure names an
// input that can be rebuilt exactly.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { NO_HOST } from '../../../shared/records.js';
import { CaptureError, openCapture } from '../../../server/sources/open-capture.js';
import type { PcapEnd } from '../../../server/sources/pcap-reader.js';
import { dataPath, describeData, itData } from '../../helpers/data.js';
import { concat, ether, fields, gre, ipv4, payload, pcapFile, pcapngBlock, tcp, udp } from './frames.js';
import { collector, COLUMNS, guarded, pcapCounts, readPcap, readText, rowDifference, textCounts, type Rows } from './fuzz-checks.js';
import { captureUnits, capturePrefix, chunked, int, mutate, prng, seedOf, textPrefix } from './fuzz-inputs.js';

const CAPTURES = [
  'pcpp-microsecs_big_endian.pcap', // classic big-endian usec (NETLINK: unsupported link)
  'pcpp-nanosecs_big_endian.pcap', // classic big-endian nsec
  'ndpi-fuzz-2006-06-26-2594.pcap', // big-endian, already malformed frames
  'pcpp-sll.pcap', // little-endian, Linux cooked
  'suricata-decode-sll2-02.pcap', // SLL2
  'pcpp-null_loopback.pcap', // NULL
  'arkime-80211http.pcap', // radiotap 802.11
  'suricata-pppoe-session-http.pcap', // PPPoE
  'zeek-erspan.pcap', // GRE / ERSPAN
  'tcpdump-bigtcp-ipv6-hbh.pcap', // IPv6 Hop-by-Hop jumbograms
  'ndpi-telegram_videocall.pcapng', // pcapng, nanoseconds
  'pcpp-many_interfaces-1.pcapng', // pcapng, several link types
  'brim-bad.pcapng', // pcapng cut short
];
const TEXTS = CAPTURES.map((n) => `${n}.txt`).filter((n) => n !== 'pcpp-many_interfaces-1.pcapng.txt')
  .concat(['pcpp-tls2.pcap.txt', 'zeek-ipv6-http-atomic-frag.pcap.txt']);
const LIMIT = 48 * 1024;
/** More random inputs per capture for a deeper hunt: NETSHADE_FUZZ_SCALE=20 npx vitest run ... */
const SCALE = Math.max(1, Number(process.env.NETSHADE_FUZZ_SCALE ?? 1));
const TEXT_ALPHABET = new TextEncoder().encode('0123456789abcdef:.> \n\t\r[|(),-IP6');

describeData('fuzz: PcapReader on cut and corrupted real captures', () => {
  itData('a capture cut anywhere keeps every whole record, reports where it was cut, and throws nothing', () => {
    const failures: string[] = [];
    let cuts = 0;
    for (const name of CAPTURES) {
      const bytes = capturePrefix(name, LIMIT);
      const { ends, packet } = captureUnits(bytes);
      const full = readPcap([bytes]);
      const r = prng(seedOf(name));
      const points = [0, 1, 3, 4, 11, 12, 23, 24, 25, 39, 40, ends[0] - 1, ends[0] + 1, bytes.length - 1];
      for (let k = 0; k < 24 * SCALE; k++) points.push(int(r, 0, bytes.length));
      for (let k = 0; k < 4 * SCALE; k++) { const e = ends[int(r, 0, ends.length - 1)]; points.push(e, e - 1, e + 1); }
      for (const cut of points.filter((p) => p >= 0 && p <= bytes.length)) {
        cuts++;
        const input = bytes.subarray(0, cut);
        guarded(failures, `${name} cut at ${cut}`, () => {
          const run = readPcap(chunked(input, r));
          const f = pcapCounts(run, cut);
          let whole = 0, boundary = 0, onBoundary = cut === 0;
          for (let u = 0; u < ends.length && ends[u] <= cut; u++) {
            if (packet[u]) whole++;
            boundary = ends[u];
            if (ends[u] === cut) onBoundary = true;
          }
          if (run.reader.packets !== whole) f.push(`packets ${run.reader.packets}, whole records ${whole}`);
          f.push(...rowDifference(run.rows, full.rows, whole, 'uncut'));
          const expected: PcapEnd = cut === 0 ? { truncatedAt: 0, problem: 'empty input' }
            : onBoundary ? { truncatedAt: null, problem: null } : { truncatedAt: boundary, problem: run.end.problem };
          if (run.end.truncatedAt !== expected.truncatedAt || run.end.problem !== expected.problem
            || (!onBoundary && !/truncated/.test(run.end.problem ?? ''))) f.push(`end ${JSON.stringify(run.end)}, expected truncation at ${expected.truncatedAt}`);
          return f;
        });
      }
    }
    expect(cuts).toBeGreaterThan(500);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  itData('a capture with flipped bytes, runs and header fields reads the same in any chunking and throws nothing', () => {
    const failures: string[] = [];
    let inputs = 0;
    for (const name of CAPTURES) {
      const bytes = capturePrefix(name, LIMIT);
      // Record/block starts, and the frame bytes after them (link and IP headers).
      const fieldAt = [0, ...captureUnits(bytes).ends.slice(0, -1)].flatMap((o) => [o, o + 16, o + 28]);
      const r = prng(seedOf(name) ^ 0x5eed);
      for (let k = 0; k < 40 * SCALE; k++) {
        const { bytes: input, how } = mutate(bytes, r, fieldAt, null);
        inputs++;
        guarded(failures, `${name} ${how}`, () => {
          const whole = readPcap([input]);
          const parts = readPcap(chunked(input, r));
          const f = [...pcapCounts(whole, input.length), ...pcapCounts(parts, input.length)];
          f.push(...rowDifference(parts.rows, whole.rows, Infinity, 'in one piece'));
          if (JSON.stringify(parts.end) !== JSON.stringify(whole.end)) f.push(`end ${JSON.stringify(parts.end)} in chunks, ${JSON.stringify(whole.end)} whole`);
          return f;
        });
      }
    }
    expect(inputs).toBeGreaterThan(500);
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describeData('fuzz: TcpdumpTextParser on cut and corrupted real text', () => {
  itData('text cut anywhere gives the same records for every whole line, and throws nothing', () => {
    const failures: string[] = [];
    let cuts = 0;
    for (const name of TEXTS) {
      const text = textPrefix(name, LIMIT);
      const full = readText([text]);
      const r = prng(seedOf(name));
      const points = [0, 1, 2, 9, 15, 16, 17, text.length - 1];
      for (let k = 0; k < 40 * SCALE; k++) points.push(int(r, 0, text.length));
      for (const cut of points.filter((p) => p >= 0 && p <= text.length)) {
        cuts++;
        const input = text.subarray(0, cut);
        guarded(failures, `${name} cut at ${cut}`, () => {
          const run = readText(chunked(input, r));
          const f = textCounts(run, input);
          // Whole lines parse as they did in the whole file; only a cut last line may differ.
          const wholeLines = readText([text.subarray(0, input.lastIndexOf(10) + 1)]).parser.packets;
          if (run.parser.packets < wholeLines || run.parser.packets > wholeLines + 1) f.push(`packets ${run.parser.packets}, whole lines ${wholeLines}`);
          f.push(...rowDifference(run.rows, full.rows, wholeLines, 'uncut'));
          return f;
        });
      }
    }
    expect(cuts).toBeGreaterThan(500);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  itData('text with flipped bytes and runs reads the same in any chunking and throws nothing', () => {
    const failures: string[] = [];
    let inputs = 0;
    for (const name of TEXTS) {
      const text = textPrefix(name, LIMIT);
      if (text.length === 0) continue;
      // Line starts, and the address/port fields a little after them.
      const fieldAt = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === 10 && i + 1 < text.length) fieldAt.push(i + 1, i + 20);
      const r = prng(seedOf(name) ^ 0x7e47);
      for (let k = 0; k < 120 * SCALE; k++) {
        const { bytes: input, how } = mutate(text, r, fieldAt, TEXT_ALPHABET);
        inputs++;
        guarded(failures, `${name} ${how}`, () => {
          const whole = readText([input]);
          const parts = readText(chunked(input, r));
          return [...textCounts(whole, input), ...textCounts(parts, input), ...rowDifference(parts.rows, whole.rows, Infinity, 'in one piece')];
        });
      }
    }
    expect(inputs).toBeGreaterThan(500);
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describeData('TcpdumpTextParser: the one-pass path for plain TCP and UDP lines', () => {
  itData('reads every line of every shared text file as the general path does', () => {
    const failures: string[] = [];
    for (const name of readdirSync(dataPath('tcpdump')).filter((n) => n.endsWith('.txt'))) {
      const text = new Uint8Array(readFileSync(dataPath('tcpdump', name)));
      // Split one byte into every line: each line is then carried over and read by the
      // general path, while the whole text reads plain TCP and UDP lines in one pass.
      const parts: Uint8Array[] = [];
      let from = 0;
      for (let i = 0; i < text.length; i++) {
        if (i === 0 || text[i - 1] === 10) { parts.push(text.subarray(from, i + 1)); from = i + 1; }
      }
      parts.push(text.subarray(from));
      const general = readText(parts), whole = readText([text]);
      failures.push(...rowDifference(whole.rows, general.rows, Infinity, 'general path').map((f) => `${name}: ${f}`));
      if (whole.parser.lines !== general.parser.lines) failures.push(`${name}: lines ${whole.parser.lines}, general path ${general.parser.lines}`);
    }
    expect(failures).toEqual([]);
  });
});

describeData('fuzz: openCapture on cut and corrupted files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netshade-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itData('reads or reports every input: a CaptureError only for input it cannot recognise, a warning with the offset for a cut capture', async () => {
    const failures: string[] = [];
    let inputs = 0, warned = 0;
    const r = prng(0xf11e);
    const inputsOf = (name: string, bytes: Uint8Array, cutTo: (cut: number) => number | null, alphabet: Uint8Array | null) => {
      const out: { input: Uint8Array; how: string; expectedOffset: number | null }[] = [];
      for (let k = 0; k < 4; k++) {
        const cut = int(r, 1, bytes.length);
        out.push({ input: bytes.subarray(0, cut), how: `${name} cut at ${cut}`, expectedOffset: cutTo(cut) });
      }
      for (let k = 0; k < 4; k++) {
        const { bytes: input, how } = mutate(bytes, r, [0], alphabet);
        out.push({ input, how: `${name} ${how}`, expectedOffset: null });
      }
      return out;
    };
    const cases = CAPTURES.flatMap((name) => {
      const bytes = capturePrefix(name, LIMIT);
      const { ends } = captureUnits(bytes);
      // A cut inside a unit is reported at that unit's start.
      const cutTo = (cut: number) => (ends.includes(cut) ? null : ends.filter((e) => e < cut).pop() ?? 0);
      return inputsOf(name, bytes, cutTo, null);
    }).concat(TEXTS.flatMap((name) => {
      const text = textPrefix(name, LIMIT);
      return text.length === 0 ? [] : inputsOf(name, text, () => null, TEXT_ALPHABET);
    }));
    for (const { input, how, expectedOffset } of cases) {
      inputs++;
      const path = join(dir, `input-${inputs}`);
      writeFileSync(path, input);
      const hosts = new HostTable();
      let source;
      try {
        source = await openCapture(path, hosts, { chunkSize: int(r, 64, 4096), batchCapacity: int(r, 1, 300) });
      } catch (err) {
        if (!(err instanceof CaptureError)) failures.push(`${how}: openCapture threw ${(err as Error).stack}`);
        continue;
      }
      const { rows, onBatch } = collector(hosts);
      try {
        for await (const b of source.batches()) onBatch(b);
      } catch (err) {
        failures.push(`${how}: batches() threw ${(err as Error).stack}`);
        continue;
      }
      const stats = source.stats();
      failures.push(...rows.bad.map((b) => `${how}: ${b}`));
      if (stats.packets !== rows.time.length) failures.push(`${how}: ${rows.time.length} rows, stats ${JSON.stringify(stats)}`);
      if (source.format !== 'tcpdump-text' && expectedOffset !== null) {
        warned++;
        const expected = `at byte offset ${expectedOffset} (kept ${stats.packets} packets)`;
        if (!stats.warning?.endsWith(expected)) failures.push(`${how}: warning ${stats.warning}, expected "... ${expected}"`);
      }
    }
    expect(inputs).toBeGreaterThan(150);
    expect(warned).toBeGreaterThan(20);
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

// Inputs the fuzzing (and a differential run against tcpdump 4.99.3 on corrupted captures)
// found mishandled; the expected values are what tcpdump prints for the same bytes.
describe('fuzz findings, kept as regressions', () => {
  const text = (...parts: string[]) => readText(parts.map((p) => new TextEncoder().encode(p)));
  const pcap = (...records: Parameters<typeof pcapFile>[1]) => readPcap([pcapFile(1, records)]);
  const row = (rows: Rows, i: number) => COLUMNS.map((c) => rows[c][i]);

  it('text: ports after an IPv6 extension header beyond 65535 are no ports', () => {
    // zeek-ipv6-http-atomic-frag.pcap.txt with one digit flipped gave source port 66951.
    const { rows } = text('16:44:12.497486 IP6 2001:db8:1::2 > 2001:db8:1::1: DSTOPT 66951 > 80: tcp 0\n');
    expect(rows.bad).toEqual([]);
    expect([rows.sport[0], rows.dport[0]]).toEqual([-1, -1]);
  });

  it('text: digit runs too long for a count are not read as Infinity', () => {
    const { rows, parser } = text(`10:00:00.000000 IP 10.0.0.1.5 > 10.0.0.2.6: tcp ${'9'.repeat(400)}\n`, `${'9'.repeat(400)}.5 IP 10.0.0.1 > 10.0.0.2: igmp\n`);
    expect(rows.bad).toEqual([]);
    expect(rows.bytes).toEqual([0]);
    expect(parser.skipped.malformed).toBe(1); // an epoch time of 400 digits is no timestamp
  });

  it('text: a line cut right after its destination reads the same whether or not it was carried over', () => {
    // The carried-over bytes once held a ':' just past the cut from an earlier line.
    const carried = text('10:00:00.000000 IP 1.2.3.4 > 5.6.7.8: tcp 1', '\n', '10:00:00.000000 IP 1.2.3.4 > 5.6.7.8', '\n');
    const whole = text('10:00:00.000000 IP 1.2.3.4 > 5.6.7.8: tcp 1\n10:00:00.000000 IP 1.2.3.4 > 5.6.7.8\n');
    expect(row(carried.rows, 1)).toEqual(row(whole.rows, 1));
    expect(whole.rows.src[1]).toBe(NO_HOST);
  });

  it('pcapng: an interface option running past its block neither throws nor is read', () => {
    const le = true;
    const shb = pcapngBlock(0x0a0d0d0a, fields(le, [[0x1a2b3c4d, 4], [1, 2], [0, 2], [0xffffffff, 4], [0xffffffff, 4]]), le);
    // if_tsoffset (14) claims 8 bytes, but the block ends after the option header.
    const idb = pcapngBlock(1, fields(le, [[1, 2], [0, 2], [0, 4], [14, 2], [8, 2]]), le);
    const frame = ether(0x0800, ipv4(17, '192.0.2.1', '192.0.2.2', udp(1000, 53, 30)));
    const epb = pcapngBlock(6, fields(le, [[0, 4], [0, 4], [2_000_000, 4], [frame.length, 4], [frame.length, 4]], frame), le);
    const run = readPcap([concat(shb, idb, epb)]);
    expect(run.end.problem).toBeNull();
    expect(run.rows.time).toEqual([2]); // microseconds, no offset
  });

  it('an AH longer than the packet: "[|ah]", no length (was a negative byte count)', () => {
    // tcpdump: "IP 10.0.0.1 > 10.0.0.2: AH(spi=0x00000001,seq=0x1,icv=0x000000000909090909090909 [|ah]"
    const ah = Uint8Array.from([50, 255, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9]);
    const { rows } = pcap({ sec: 1, frac: 0, data: ether(0x0800, ipv4(51, '10.0.0.1', '10.0.0.2', ah)) });
    expect(rows.bad).toEqual([]);
    expect([rows.proto[0], rows.bytes[0]]).toEqual([3, 0]);
  });

  it('a record whose wire length is below its captured length is malformed', () => {
    // tcpdump: "[Invalid header: len(40) < caplen(64)]", and nothing of the packet.
    const { rows, reader } = pcap({ sec: 1, frac: 0, data: ether(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1, 2, 10))), wireLen: 40 });
    expect(row(rows, 0)).toEqual([1, NO_HOST, NO_HOST, -1, -1, 3, 0]);
    expect(reader.skipped.malformed).toBe(1);
  });

  it('GRE with a protocol it does not decode: the GRE length', () => {
    // tcpdump: "IP 10.0.0.1 > 10.0.0.2: GREv0, key=0x0, length 68: gre-proto-0x6543"
    const { rows } = pcap({ sec: 1, frac: 0, data: ether(0x0800, ipv4(47, '10.0.0.1', '10.0.0.2', gre(0x6543, payload(60), { key: 0 }))) });
    expect(rows.bytes).toEqual([68]);
  });

  it('PPPoE session frames with a code other than 0, and SNAP with another OUI, are not IP', () => {
    // tcpdump: "PPPoE PAD-5f [len 42 > 36!] [ses 0x2d] [|pppoe]" and
    // "SNAP, oui Unknown (0x00a500), pid Unknown (0x0800), length 34: "
    const inner = ipv4(17, '10.0.0.1', '10.0.0.2', udp(1, 2, 6));
    const { rows, reader } = pcap(
      { sec: 1, frac: 0, data: ether(0x8864, concat([0x11, 0x5f, 0, 0x2d, 0, 42, 0, 0x21], inner)) },
      { sec: 2, frac: 0, data: ether(8 + inner.length, concat([0xaa, 0xaa, 0x03, 0x00, 0xa5, 0x00, 0x08, 0x00], inner)) },
    );
    expect(rows.src).toEqual([NO_HOST, NO_HOST]);
    expect(reader.skipped['non-ip']).toBe(2);
  });

  it('VRRP prints a length only for a v2/v3 advertisement', () => {
    // tcpdump: "VRRPv1, unknown type (4), (ttl 64)" and "VRRPv2, Advertisement, ..., length 20"
    const vrrp = (head: number) => Uint8Array.from([head, 1, 100, 1, 0, 1, 0, 0, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const { rows } = pcap(
      { sec: 1, frac: 0, data: ether(0x0800, ipv4(112, '10.0.0.1', '224.0.0.18', vrrp(0x14))) },
      { sec: 2, frac: 0, data: ether(0x0800, ipv4(112, '10.0.0.1', '224.0.0.18', vrrp(0x21))) },
    );
    expect(rows.bytes).toEqual([0, 20]);
  });
});
