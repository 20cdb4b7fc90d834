// What the fuzz tests check on a reader's output: every record well formed, every packet
// counted (graphed, or under one skip reason), and where two runs' records differ.
import { HostTable } from '../../../shared/graph/hosts.js';
import { NO_HOST, type PacketBatch, type SkipCounts } from '../../../shared/records.js';
import { PcapReader, type PcapEnd } from '../../../server/sources/pcap-reader.js';
import { TcpdumpTextParser } from '../../../server/sources/tcpdump-text.js';

/** The records of a run, column by column, plus what was wrong with any of them. */
export interface Rows { time: number[]; src: number[]; dst: number[]; sport: number[]; dport: number[]; proto: number[]; bytes: number[]; bad: string[] }
export function collector(hosts: HostTable): { rows: Rows; onBatch: (b: PacketBatch) => void } {
  const rows: Rows = { time: [], src: [], dst: [], sport: [], dport: [], proto: [], bytes: [], bad: [] };
  const onBatch = (b: PacketBatch): void => {
    if (b.length < 1 || b.length > b.time.length) rows.bad.push(`batch length ${b.length}`);
    for (let i = 0; i < b.length; i++) {
      const row = [b.time[i], b.src[i], b.dst[i], b.srcPort[i], b.dstPort[i], b.proto[i], b.bytes[i]];
      const [time, src, dst, sport, dport, proto, bytes] = row;
      const host = (h: number) => h === NO_HOST || (h >= 0 && h < hosts.size);
      const port = (p: number) => Number.isInteger(p) && p >= -1 && p <= 65535;
      const ok = Number.isFinite(time) && host(src) && host(dst) && (src === NO_HOST) === (dst === NO_HOST)
        && port(sport) && port(dport) && proto <= 3 && Number.isFinite(bytes) && bytes >= 0
        // A packet without endpoints has no ports and no protocol class.
        && (src !== NO_HOST || (sport === -1 && dport === -1 && proto === 3));
      if (!ok && rows.bad.length < 5) rows.bad.push(`row ${rows.time.length}: ${row.join(' ')} (hosts ${hosts.size})`);
      rows.time.push(time); rows.src.push(src); rows.dst.push(dst); rows.sport.push(sport);
      rows.dport.push(dport); rows.proto.push(proto); rows.bytes.push(bytes);
    }
  };
  return { rows, onBatch };
}
export const COLUMNS = ['time', 'src', 'dst', 'sport', 'dport', 'proto', 'bytes'] as const;
/** Where the first n rows of a and b differ (both read with fresh host tables), or nothing. */
export function rowDifference(a: Rows, b: Rows, n: number, what: string): string[] {
  const count = Math.min(n, Math.max(a.time.length, b.time.length));
  for (let i = 0; i < count; i++) {
    for (const c of COLUMNS) {
      if (!Object.is(a[c][i], b[c][i])) return [`row ${i} ${c}: ${a[c][i]}, ${what} ${b[c][i]}`];
    }
  }
  return [];
}
const noHostRows = (rows: Rows): number => rows.src.filter((h) => h === NO_HOST).length;
const skippedSum = (s: SkipCounts): number => Object.values(s).reduce((a, b) => a + b, 0);

export interface PcapRun { rows: Rows; reader: PcapReader; end: PcapEnd }
export function readPcap(parts: Uint8Array[]): PcapRun {
  const hosts = new HostTable();
  const reader = new PcapReader(hosts, 64);
  const { rows, onBatch } = collector(hosts);
  for (const p of parts) reader.feed(p, onBatch);
  return { rows, reader, end: reader.end(onBatch) };
}
export interface TextRun { rows: Rows; parser: TcpdumpTextParser }
export function readText(parts: Uint8Array[]): TextRun {
  const hosts = new HostTable();
  const parser = new TcpdumpTextParser(hosts, 64);
  const { rows, onBatch } = collector(hosts);
  for (const p of parts) parser.feed(p, onBatch);
  parser.end(onBatch);
  return { rows, parser };
}

/** Runs `check`, turning anything thrown into a failure line. */
export function guarded(failures: string[], what: string, check: () => string[]): void {
  try {
    for (const f of check()) failures.push(`${what}: ${f}`);
  } catch (err) {
    failures.push(`${what}: threw ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
  }
}

/** Checks that hold for any input: what the reader counted matches the records it gave. */
export function pcapCounts(run: PcapRun, inputLength: number): string[] {
  const f = [...run.rows.bad];
  const { reader, end } = run;
  if (run.rows.time.length !== reader.packets) f.push(`${run.rows.time.length} rows but packets = ${reader.packets}`);
  // Every packet without endpoints is counted under exactly one reason, and only those are.
  if (noHostRows(run.rows) !== skippedSum(reader.skipped)) f.push(`${noHostRows(run.rows)} rows without hosts, skipped ${JSON.stringify(reader.skipped)}`);
  if ((end.problem === null) !== (end.truncatedAt === null)) f.push(`end ${JSON.stringify(end)}`);
  if (end.truncatedAt !== null && !(end.truncatedAt >= 0 && end.truncatedAt <= inputLength)) f.push(`truncatedAt ${end.truncatedAt} outside 0..${inputLength}`);
  return f;
}
export function textCounts(run: TextRun, input: Uint8Array): string[] {
  const f = [...run.rows.bad];
  const { parser } = run;
  const lines = Buffer.from(input).toString('latin1').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l !== '');
  const continuation = lines.filter((l) => l[0] === '\t' || l[0] === ' ').length;
  if (parser.lines !== lines.length) f.push(`lines ${parser.lines}, expected ${lines.length}`);
  if (parser.skipped.continuation !== continuation) f.push(`continuation ${parser.skipped.continuation}, expected ${continuation}`);
  if (run.rows.time.length !== parser.packets) f.push(`${run.rows.time.length} rows but packets = ${parser.packets}`);
  // Lines that are neither packets nor continuation lines have no timestamp: malformed, no row.
  const stampless = parser.lines - parser.packets - continuation;
  if (stampless < 0 || stampless > parser.skipped.malformed) f.push(`lines ${parser.lines}, packets ${parser.packets}, skipped ${JSON.stringify(parser.skipped)}`);
  if (noHostRows(run.rows) !== skippedSum(parser.skipped) - continuation - stampless) f.push(`${noHostRows(run.rows)} rows without hosts, skipped ${JSON.stringify(parser.skipped)}`);
  return f;
}
