import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  ReferenceConverter, referenceEdgesCsv, referenceNodesCsv, referenceTables, REFERENCE_PROTOCOLS, type ReferenceTables,
} from '../../../server/export/reference-compat.js';
import { dataPath, describeData } from '../../helpers/data.js';

const CAPTURES = ['pcpp-example.pcap', 'ndpi-gnutella.pcap', 'pcpp-many-protocols.pcap', 'stopddos-amp.TCP.reflection.SYNACK.pcap'];

function convert(lines: string[], lineFilter?: string): { t: ReferenceTables; c: ReferenceConverter } {
  const c = new ReferenceConverter({ lineFilter });
  c.feed(lines.map((l) => l + '\n').join(''));
  return { t: c.end(), c };
}

/** Edges as [source, target, protocol, weight] rows. */
function rows(t: ReferenceTables): [number, number, string, number][] {
  return Array.from({ length: t.edgeCount }, (_, k) => [t.source[k], t.target[k], REFERENCE_PROTOCOLS[t.protocol[k]], t.weight[k]]);
}

const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);

describeData('the reference converter on real captures', () => {
  for (const name of CAPTURES) {
    it(`reproduces ${name}'s reference tables byte for byte (all lines and | grep tcp)`, () => {
      const text = readFileSync(dataPath('tcpdump', `${name}.txt`), 'utf8');
      for (const [label, filter] of [['all', undefined], ['tcp', 'tcp']] as const) {
        const c = new ReferenceConverter({ lineFilter: filter });
        c.feed(text);
        const t = c.end();
        expect(referenceNodesCsv(t)).toBe(readFileSync(dataPath('reference', 'convert', `${name}.${label}_nodes.csv`), 'utf8'));
        expect(referenceEdgesCsv(t)).toBe(readFileSync(dataPath('reference', 'convert', `${name}.${label}_edges.csv`), 'utf8'));
      }
    });
  }

  it('gives the same tables whatever the chunking of the text', () => {
    const text = readFileSync(dataPath('tcpdump', 'ndpi-gnutella.pcap.txt'), 'utf8');
    const whole = new ReferenceConverter();
    whole.feed(text);
    const expected = referenceEdgesCsv(whole.end());
    const pieces = new ReferenceConverter();
    for (let i = 0; i < text.length; i += 997) pieces.feed(text.slice(i, i + 997));
    expect(referenceEdgesCsv(pieces.end())).toBe(expected);
  });
});

describe('the reference converter rules', () => {
  it('sums both directions into one undirected edge per protocol and numbers nodes by numeric address', () => {
    const { t, c } = convert([
      '09:30:07.780000 IP 10.0.0.10.8080 > 9.255.255.255.1038: tcp 1380',
      '09:30:07.790000 IP 9.255.255.255.1038 > 10.0.0.10.8080: tcp 20',
      '09:30:07.800000 IP 10.0.0.10.53 > 9.255.255.255.53: UDP, length 34',
      '09:30:07.810000 IP 10.0.0.2 > 10.0.0.10: ICMP echo request, id 1, seq 1, length 64',
    ]);
    // Numeric order: 9.255.255.255 < 10.0.0.2 < 10.0.0.10 (text order would differ).
    expect(Array.from(t.nodeAddress)).toEqual([ip('9.255.255.255'), ip('10.0.0.2'), ip('10.0.0.10')]);
    expect(rows(t)).toEqual([[0, 2, 'tcp', 1400], [0, 2, 'udp', 34], [1, 2, 'icmp', 64]]);
    expect(c.counts).toEqual({ lines: 4, graphed: 4, halfParsed: 0 });
    expect(referenceEdgesCsv(t)).toBe(',source,target,protocol,weight\n0,0,2,tcp,1400\n1,0,2,udp,34\n2,1,2,icmp,64\n');
    expect(referenceNodesCsv(t)).toBe('id\n0\n1\n2\n');
  });

  it('prefers tcp, then UDP, EIGRP, ICMP anywhere in the line, case-sensitively, and drops unreachable lines', () => {
    const { t } = convert([
      '10:00:00.000000 IP 1.1.1.1 > 2.2.2.2: ICMP echo reply quoting tcp, length 8', // tcp wins over ICMP
      '10:00:00.000001 IP 1.1.1.1 > 2.2.2.2: EIGRP Hello, length 40',
      '10:00:00.000002 IP 1.1.1.1.5 > 2.2.2.2.6: udp 5', // lowercase: no protocol
      '10:00:00.000003 IP 1.1.1.1 > 2.2.2.2: ICMP 3.3.3.3 tcp port 443 unreachable, length 36',
      '10:00:00.000004 IP 1.1.1.1 > 2.2.2.2: igmp',
    ]);
    expect(t.nodeCount).toBe(2);
    expect(rows(t)).toEqual([[0, 1, 'tcp', 8], [0, 1, 'eigrp', 40]]);
  });

  it('keeps only lines whose second field is IP (IPv6 and ARP are dropped)', () => {
    const { t, c } = convert([
      '10:00:00.000000 IP6 fe80::1.546 > ff02::1:2.547: UDP, length 10',
      '10:00:00.000001 ARP, Request who-has 1.1.1.1 tell 2.2.2.2, length 28',
      'eth0  In  IP 1.1.1.1.5 > 2.2.2.2.6: tcp 7',
      '10:00:00.000002 IP 3.3.3.3.5 > 4.4.4.4.6: tcp 9',
    ]);
    expect(c.counts.lines).toBe(4);
    expect(Array.from(t.nodeAddress)).toEqual([ip('3.3.3.3'), ip('4.4.4.4')]);
    expect(rows(t)).toEqual([[0, 1, 'tcp', 9]]);
  });

  it('adds the nodes of a half-parsed line (last field not an integer) but no edge', () => {
    const { t, c } = convert([
      '09:33:55.152721 IP 192.168.1.2.58657 > 147.234.1.253.47645:  [|tcp]',
      '09:33:55.153018 IP 10.0.0.1.2721 > 10.0.0.2.58999: tcp 5_',
      '09:33:55.153019 IP 10.0.0.1.2721 > 10.0.0.3.58999: tcp 1_000',
      '09:33:55.153020 IP 10.0.0.1.2721 > 10.0.0.3.58999: tcp +5',
    ]);
    expect(c.counts).toEqual({ lines: 4, graphed: 2, halfParsed: 2 });
    expect(Array.from(t.nodeAddress)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '147.234.1.253', '192.168.1.2'].map(ip));
    expect(rows(t)).toEqual([[0, 2, 'tcp', 1005]]);
  });

  it('drops a line whose address fields fail before any node is added', () => {
    const { t } = convert([
      '10:00:00.000000 IP truncated-ip - 74 bytes missing! 192.168.1.6.2721 > 147.234.1.253.58999: tcp 74',
      '10:00:00.000001 IP 256.1.1.1.5 > 2.2.2.2.6: tcp 1', // inet_aton refuses 256
      '10:00:00.000002 IP 08.1.1.1.5 > 2.2.2.2.6: tcp 1', // 08 is not octal
      '10:00:00.000003 IP 1.1.1.1.5 > 2.2.2.x: tcp 1',
      '10:00:00.000004 IP 1.1.1.1.5 tcp', // no fifth field
    ]);
    expect(t.nodeCount).toBe(0);
    expect(t.edgeCount).toBe(0);
    expect(referenceEdgesCsv(t)).toBe(',source,target,protocol,weight\n');
    expect(referenceNodesCsv(t)).toBe('id\n');
  });

  it('reads a leading-zero address part as octal, as inet_aton does', () => {
    const { t } = convert(['10:00:00.000000 IP 010.0.0.1.5 > 0.0.0.0.6: tcp 3']);
    expect(Array.from(t.nodeAddress)).toEqual([0, ip('8.0.0.1')]);
  });

  it('reads a last line without a newline, and lines split across chunks', () => {
    const c = new ReferenceConverter();
    c.feed('10:00:00.000000 IP 1.1.1.1.5 > 2.2.2.2.6: tc');
    c.feed('p 4\r\n10:00:00.000001 IP 2.2.2.2.6 > 1.1.1.1.5: tcp 6');
    expect(rows(c.end())).toEqual([[0, 1, 'tcp', 10]]);
  });

  it('applies the line filter before anything else, like grep', () => {
    const lines = ['10:00:00.000000 IP 1.1.1.1.5 > 2.2.2.2.6: UDP, length 3', '10:00:00.000001 IP 1.1.1.1.5 > 3.3.3.3.6: tcp 4'];
    const { t, c } = convert(lines, 'tcp');
    expect(c.counts.lines).toBe(1);
    expect(rows(t)).toEqual([[0, 1, 'tcp', 4]]);
    expect(() => new ReferenceConverter({ lineFilter: '' })).toThrow(TypeError);
  });

  it('gives typed tables with 64-bit integer columns and a protocol category', () => {
    const { t } = convert(['10:00:00.000000 IP 1.1.1.1.5 > 2.2.2.2.6: UDP, length 3']);
    const { nodes, edges } = referenceTables(t);
    expect(nodes.rows).toBe(2);
    expect(nodes.columns.map((c) => [c.name, c.type])).toEqual([['id', 'int64']]);
    expect(edges.columns.map((c) => [c.name, c.type])).toEqual([['source', 'int64'], ['target', 'int64'], ['protocol', 'category'], ['weight', 'int64']]);
    const protocol = edges.columns[2];
    expect(protocol.type === 'category' && protocol.categories[protocol.codes[0]]).toBe('udp');
  });
});
