// The baseline the text parser is compared with: what one would write first. node:readline
// splits the stream into strings and regular expressions pick the fields out of each line:
// time of day, the IP/IP6 endpoints (interned in the same HostTable), ports, protocol class
// and tcpdump's length, into the same PacketBatch records. It covers the plain line families
// (no tunnels or IPv6 extension headers), which is all the bench input needs to compare speed.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { HostTable } from '../shared/graph/hosts.js';
import { createPacketBatch, NO_HOST, NO_PORT, Proto, pushRecord, type PacketBatch } from '../shared/records.js';

const PACKET_LINE = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?) (.*)$/;
const IP_PART = /(?:^|\s)(IP6?) (\S+) > (\S+): (.*)$/;
const IPV4_ENDPOINT = /^(\d+\.\d+\.\d+\.\d+)(?:\.(\d+))?$/;
const IPV6_ENDPOINT = /^([0-9a-f:]+)(?:\.(\d+))?$/i;
const TCP = /^tcp (\d+)/;
const UDP = /^UDP, length (\d+)/;
const ICMP = /^ICMP/;
const LENGTH = /.*\blength:? (\d+)/;

export interface BaselineCounts {
  lines: number;
  packets: number;
}

/** Parses tcpdump -q text from `chunks` into batches of records (one per timestamped line). */
export async function parseWithReadlineRegex(
  chunks: Iterable<Uint8Array>, hosts: HostTable, onBatch: (b: PacketBatch) => void, batchCapacity = 4096,
): Promise<BaselineCounts> {
  const batch = createPacketBatch(batchCapacity);
  const counts: BaselineCounts = { lines: 0, packets: 0 };
  const lines = createInterface({ input: Readable.from(chunks, { objectMode: false }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    counts.lines++;
    const m = PACKET_LINE.exec(line);
    if (m === null) continue;
    const time = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    let src = NO_HOST, dst = NO_HOST, srcPort = NO_PORT, dstPort = NO_PORT, proto: number = Proto.other, bytes = 0;
    const ip = IP_PART.exec(m[4]);
    const endpoint = ip?.[1] === 'IP' ? IPV4_ENDPOINT : IPV6_ENDPOINT;
    const a = ip === null ? null : endpoint.exec(ip[2]);
    const b = ip === null ? null : endpoint.exec(ip[3]);
    if (ip !== null && a !== null && b !== null) {
      src = hosts.internText(a[1]);
      dst = hosts.internText(b[1]);
      if (a[2] !== undefined) srcPort = Number(a[2]);
      if (b[2] !== undefined) dstPort = Number(b[2]);
      const payload = ip[4];
      let n: RegExpExecArray | null;
      if ((n = TCP.exec(payload)) !== null) { proto = Proto.tcp; bytes = Number(n[1]); }
      else if ((n = UDP.exec(payload)) !== null) { proto = Proto.udp; bytes = Number(n[1]); }
      else if (ICMP.test(payload)) { proto = Proto.icmp; bytes = Number(LENGTH.exec(payload)?.[1] ?? 0); }
      else bytes = Number(LENGTH.exec(payload)?.[1] ?? 0);
    } else {
      bytes = Number(LENGTH.exec(m[4])?.[1] ?? 0);
    }
    pushRecord(batch, time, src, dst, srcPort, dstPort, proto, bytes);
    counts.packets++;
    if (batch.length === batch.time.length) { onBatch(batch); batch.length = 0; }
  }
  if (batch.length > 0) { onBatch(batch); batch.length = 0; }
  return counts;
}
