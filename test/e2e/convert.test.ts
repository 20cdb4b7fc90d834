// `netshade convert` as a user runs it: tables of real captures, checked against tcpdump's own
// text and the reference converter's tables, and every kind of bad input.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { tableFromIPC } from 'apache-arrow';
import { dataPath, describeData, REPO_ROOT } from '../helpers/data.js';
import { runCli } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';

const work = mkdtempSync(join(tmpdir(), 'netshade-convert-'));
const REFERENCE_CAPTURES = ['pcpp-example.pcap', 'ndpi-gnutella.pcap', 'pcpp-many-protocols.pcap', 'stopddos-amp.TCP.reflection.SYNACK.pcap'];
const TABLES = ['all_nodes', 'all_edges', 'tcp_nodes', 'tcp_edges'];

type Row = Record<string, string | number | bigint>;

/** A CSV without quoted fields (none of ours needs quoting) as rows of strings. */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  expect(text.endsWith('\n')).toBe(true);
  const [header, ...rows] = text.slice(0, -1).split('\n').map((l) => l.split(','));
  for (const r of rows) expect(r.length).toBe(header.length);
  return { header, rows };
}

async function readParquet(path: string): Promise<Row[]> {
  const b = readFileSync(path);
  return parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
}

function readArrow(path: string): Row[] {
  return tableFromIPC(readFileSync(path)).toArray().map((r) => r.toJSON() as Row);
}

/** All values as strings, so that CSV, Parquet (bigint) and Arrow rows compare equal. */
const asText = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
const csvRows = (text: string) => { const { header, rows } = parseCsv(text); return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))); };

/**
 * What the tables must hold, from tcpdump's text by a plain split: every IP/IP6 line is a graphed
 * packet between fields 3 and 5 (port stripped), carrying the number after `tcp` or `length`
 * at the end of the line (else 0 bytes).
 */
function fromTcpdumpText(name: string) {
  const edges = new Map<string, { bytes: number; packets: number }>();
  const hosts = new Set<string>();
  let bytes = 0, packets = 0;
  for (const line of readFileSync(dataPath('tcpdump', `${name}.txt`), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[1] !== 'IP' && f[1] !== 'IP6') continue;
    const host = (s: string) => (f[1] === 'IP' ? s.split('.').slice(0, 4).join('.') : s.replace(/\.\d+$/, ''));
    const a = host(f[2]), b = host(f[4].slice(0, -1)); // field 5 ends with ':'
    const word = f[5] === 'HBH' ? f[6] : f[5];
    const proto = word === 'tcp' ? 'tcp' : word === 'UDP,' ? 'udp' : /^ICMP6?,?$/.test(word) ? 'icmp' : 'other';
    const n = Number(/(?:tcp|length) (\d+)$/.exec(line)?.[1] ?? 0);
    hosts.add(a); hosts.add(b);
    const key = [proto, ...[a, b].sort()].join(' ');
    const e = edges.get(key) ?? { bytes: 0, packets: 0 };
    e.bytes += n; e.packets++; edges.set(key, e);
    bytes += n; packets++;
  }
  return { edges, hosts, bytes, packets };
}

// --compat reads a capture through tcpdump itself.
const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
if (!HAVE_TCPDUMP) {
  if (process.env.CI) throw new Error('tcpdump is required under CI (install tcpdump)');
  console.warn('[netshade tests] skipping convert --compat of captures: tcpdump not found on PATH');
}
const itTcpdump = HAVE_TCPDUMP ? it : it.skip;

describeData('netshade convert --compat', () => {
  for (const name of REFERENCE_CAPTURES) {
    itTcpdump(`reproduces the reference tables of ${name} from the pcap, through tcpdump`, () => {
      const out = join(work, 'compat-pcap');
      const r = runCli(['convert', dataPath('pcap', name), '--out', out, '--compat', '--format', 'csv']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const t of TABLES) {
        expect(readFileSync(join(out, `${name}.${t}.csv`), 'utf8'), t).toBe(readFileSync(dataPath('reference', 'convert', `${name}.${t}.csv`), 'utf8'));
      }
    });
  }

  it('reads tcpdump text from stdin and writes Parquet and Arrow of the same tables', async () => {
    const name = 'pcpp-many-protocols.pcap';
    const out = join(work, 'compat-stdin');
    const r = runCli(['convert', '-', '--out', out, '--compat'], readFileSync(dataPath('tcpdump', `${name}.txt`)));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const t of TABLES) {
      const reference = readFileSync(dataPath('reference', 'convert', `${name}.${t}.csv`), 'utf8');
      expect(readFileSync(join(out, `stdin.${t}.csv`), 'utf8')).toBe(reference);
      // The reference CSV's unnamed first column is pandas' row number, not data.
      const expected = csvRows(reference).map(({ '': _rowNumber, ...rest }) => rest);
      expect(asText(await readParquet(join(out, `stdin.${t}.parquet`)))).toEqual(expected);
      expect(asText(readArrow(join(out, `stdin.${t}.arrow`)))).toEqual(expected);
    }
  });

  itTcpdump('keeps what tcpdump printed of a truncated capture, with its warning (and writes only the formats asked for)', () => {
    const out = join(work, 'trunc');
    const r = runCli(['convert', dataPath('pcap', 'suricata-http-mime-truncated.pcap'), '--out', out, '--compat', '--format', 'csv']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: .*suricata-http-mime-truncated\.pcap: tcpdump .*truncated/);
    expect(r.stdout).toMatch(/all lines 2 nodes, 1 edges/);
    expect(readdirSync(out).sort()).toEqual(TABLES.map((t) => `suricata-http-mime-truncated.pcap.${t}.csv`).sort());
  });
});

describeData('netshade convert', () => {
  for (const name of ['pcpp-example.pcap', 'ndpi-gnutella.pcap']) {
    it(`writes ${name}'s nodes and edges as Parquet, Arrow and CSV, agreeing with tcpdump's text`, async () => {
      const out = join(work, 'tables');
      const r = runCli(['convert', dataPath('pcap', name), '--out', out]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      const expected = fromTcpdumpText(name);
      expect(r.stdout).toContain(`${expected.hosts.size} nodes, ${expected.edges.size} edges`);

      const nodes = csvRows(readFileSync(join(out, `${name}.nodes.csv`), 'utf8'));
      const edges = csvRows(readFileSync(join(out, `${name}.edges.csv`), 'utf8'));
      expect(Object.keys(nodes[0])).toEqual(['id', 'address', 'bytes', 'packets']);
      expect(Object.keys(edges[0])).toEqual(['source', 'target', 'protocol', 'weight', 'packets']);
      expect(new Set(nodes.map((n) => n.address))).toEqual(expected.hosts);
      expect(nodes.map((n) => Number(n.id))).toEqual(nodes.map((_, i) => i));
      // IPv4 hosts first in numeric order, then IPv6.
      const v4 = nodes.filter((n) => !n.address.includes(':')).map((n) => n.address.split('.').reduce((a, o) => a * 256 + Number(o), 0));
      expect(v4).toEqual([...v4].sort((a, b) => a - b));
      expect(nodes.slice(0, v4.length).every((n) => !n.address.includes(':'))).toBe(true);

      expect(edges.reduce((s, e) => s + Number(e.weight), 0)).toBe(expected.bytes);
      expect(edges.reduce((s, e) => s + Number(e.packets), 0)).toBe(expected.packets);
      const got = new Map(edges.map((e) => {
        const pair = [nodes[Number(e.source)].address, nodes[Number(e.target)].address].sort();
        return [[e.protocol, ...pair].join(' '), { bytes: Number(e.weight), packets: Number(e.packets) }];
      }));
      expect(got).toEqual(expected.edges);
      // A node's bytes are those of its edges: summed over nodes, every edge counts twice (no self-edges here).
      expect(edges.every((e) => e.source !== e.target)).toBe(true);
      expect(nodes.reduce((s, n) => s + Number(n.bytes), 0)).toBe(2 * expected.bytes);

      expect(asText(await readParquet(join(out, `${name}.nodes.parquet`)))).toEqual(nodes);
      expect(asText(await readParquet(join(out, `${name}.edges.parquet`)))).toEqual(edges);
      expect(asText(readArrow(join(out, `${name}.nodes.arrow`)))).toEqual(nodes);
      expect(asText(readArrow(join(out, `${name}.edges.arrow`)))).toEqual(edges);
    });
  }
});

describeData('netshade convert of long text', () => {
  it('parses text over 8 MiB on worker threads into the same tables (file and stdin)', async () => {
    const name = 'ndpi-gnutella.pcap';
    const text = readFileSync(dataPath('tcpdump', `${name}.txt`));
    const repeats = Math.ceil((9 << 20) / text.length);
    const input = join(work, 'long.txt');
    writeFileSync(input, Buffer.concat(Array.from({ length: repeats }, () => text)));
    const expected = fromTcpdumpText(name);
    for (const [file, stdin] of [[input, undefined], ['-', readFileSync(input)]] as const) {
      const out = join(work, 'long');
      const r = runCli(['convert', file, '--out', out, '--format', 'csv'], stdin);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const prefix = file === '-' ? 'stdin' : 'long.txt';
      const nodes = csvRows(readFileSync(join(out, `${prefix}.nodes.csv`), 'utf8'));
      const edges = csvRows(readFileSync(join(out, `${prefix}.edges.csv`), 'utf8'));
      expect(new Set(nodes.map((n) => n.address))).toEqual(expected.hosts);
      const got = new Map(edges.map((e) => {
        const pair = [nodes[Number(e.source)].address, nodes[Number(e.target)].address].sort();
        return [[e.protocol, ...pair].join(' '), { bytes: Number(e.weight), packets: Number(e.packets) }];
      }));
      const times = new Map([...expected.edges].map(([k, v]) => [k, { bytes: v.bytes * repeats, packets: v.packets * repeats }]));
      expect(got).toEqual(times);
      // Every line that opens with a timestamp is a packet (graphed or not).
      const stamped = text.toString('latin1').split('\n').filter((l) => /^\d/.test(l)).length;
      expect(r.stdout).toContain(`: ${stamped * repeats} packets`);
    }
  });
});

describe('netshade convert on bad input', () => {
  const missing = join(work, 'nope.pcap');
  for (const compat of [false, true]) {
    it(`fails with the capture's message and status 1 on a missing file${compat ? ' (--compat)' : ''}`, () => {
      const r = runCli(['convert', missing, '--out', join(work, 'x'), ...(compat ? ['--compat'] : [])]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`netshade: ${missing}: no such file`);
    });
  }

  it('names the file that is not a capture', () => {
    const file = join(REPO_ROOT, 'package.json');
    const r = runCli(['convert', file, '--out', join(work, 'x')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^netshade: ${file.replace(/[.]/g, '\\.')}: not a capture or tcpdump text`));
  });

  it('explains bad usage with status 2', () => {
    const r = runCli(['convert', missing, '--out', work, '--format', 'parquet,xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^netshade: --format takes a comma-separated list of parquet, arrow, csv, got "parquet,xml"/);
  });
});
