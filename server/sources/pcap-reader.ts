// Push parser for capture files: classic pcap (either byte order, micro- or nanosecond
// stamps) and pcapng (sections of either byte order, several interfaces with their own link
// types and timestamp resolutions; EPB, SPB and OPB packets; other blocks skipped).
// Chunks may split records anywhere: a partial record is carried over to the next feed().
import type { HostTable } from '../../shared/graph/hosts.js';
import {
  createPacketBatch, emptySkipCounts, NO_HOST, NO_PORT, Proto, pushRecord, type PacketBatch, type SkipCounts,
} from '../../shared/records.js';
import { PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC, PCAPNG_SHB, plainBytes } from './capture-format.js';
import { PacketDecoder } from './ip-decode.js';

const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const BLOCK_IDB = 1, BLOCK_OPB = 2, BLOCK_SPB = 3, BLOCK_EPB = 6;
const OPT_IF_TSRESOL = 9, OPT_IF_TSOFFSET = 14;
/** libpcap refuses records longer than this (its maximum snapshot length for most links). */
const MAX_RECORD = 262144;
/** Largest pcapng block accepted; anything bigger is treated as corruption. */
const MAX_BLOCK = 64 * 1024 * 1024;
const TWO_32 = 4294967296;

const Stage = { magic: 0, pcapHeader: 1, pcapRecords: 2, pcapng: 3, stopped: 4 } as const;

export interface PcapEnd {
  /** Byte offset of the record/block that could not be read (cut short or corrupt), or null. */
  truncatedAt: number | null;
  /** What went wrong there, e.g. "truncated pcap record"; null when the input ended cleanly. */
  problem: string | null;
}

/**
 * What reading a pcapng block needs from the blocks before it: the section's byte order and
 * its interfaces (link type, timestamp units per second, timestamp offset). A seek index keeps
 * one per change, so a read can start in the middle of a section.
 */
export interface PcapngSection {
  littleEndian: boolean;
  linkType: number[];
  unit: number[];
  offset: number[];
}

export class PcapReader {
  readonly skipped: SkipCounts = emptySkipCounts();
  packets = 0;
  /** Distinct link types seen (file header or interface descriptions), in order of appearance. */
  readonly linkTypes: number[] = [];
  format: 'pcap' | 'pcapng' | null = null;
  /** Byte offset where the record (pcap) or block (pcapng) of batch row i began; read it with the batch in onBatch. */
  readonly rowOffsets: Float64Array;

  private readonly batch: PacketBatch;
  private readonly decoder: PacketDecoder;
  private stage: number = Stage.magic;
  private littleEndian = true;
  /** Byte order of the pcapng section whose blocks are being consumed. */
  private sectionLittleEndian = true;
  private fractionUnit = 1e6;
  private linkType = 0;
  /** Absolute byte offset of the next unit (header, record or block) to read. */
  private offset = 0;
  private carry = new Uint8Array(65536);
  private carryView = new DataView(this.carry.buffer);
  private carryLen = 0;
  private problem: string | null = null;
  private problemAt: number | null = null;
  private lastTime = 0;
  // pcapng interfaces of the current section
  private ifLinkType: number[] = [];
  private ifUnit: number[] = [];
  private ifOffset: number[] = [];

  /**
   * Counts the pcapng section headers and interface descriptions read: section() changes only
   * with it. Rows of one batch share one section (a batch is handed over before either block).
   */
  sectionVersion = 0;

  constructor(hosts: HostTable, batchCapacity = 4096) {
    this.batch = createPacketBatch(batchCapacity);
    this.rowOffsets = new Float64Array(batchCapacity);
    this.decoder = new PacketDecoder(hosts);
  }

  /** A copy of the pcapng section being read. */
  section(): PcapngSection {
    return { littleEndian: this.sectionLittleEndian, linkType: [...this.ifLinkType], unit: [...this.ifUnit], offset: [...this.ifOffset] };
  }

  /**
   * Says that the first bytes fed begin at absolute byte `offset`, a block boundary inside a
   * pcapng section read as `section`, where a packet of capture time `time` starts (a simple
   * packet block there has no time of its own and takes it).
   */
  resumeSection(offset: number, section: PcapngSection, time: number): void {
    if (this.stage !== Stage.magic || this.offset !== 0 || this.carryLen !== 0) throw new Error('resumeSection must come before the first feed()');
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
    if (!Number.isFinite(time)) throw new RangeError(`time must be a finite number of seconds, got ${time}`);
    this.stage = Stage.pcapng; this.format = 'pcapng';
    this.littleEndian = section.littleEndian; this.sectionLittleEndian = section.littleEndian;
    this.ifLinkType = [...section.linkType]; this.ifUnit = [...section.unit]; this.ifOffset = [...section.offset];
    for (const l of section.linkType) this.noteLinkType(l);
    this.offset = offset;
    this.lastTime = time;
  }

  /**
   * Says that the next bytes fed begin at absolute byte `offset` (a record boundary), so that
   * a classic pcap can be read from the middle: feed its 24-byte file header, call this, then
   * feed from `offset`. Offsets in rowOffsets and warnings stay those of the whole file.
   */
  resumeAt(offset: number): void {
    if (this.stage !== Stage.pcapRecords || this.carryLen !== 0) throw new Error('resumeAt needs a classic pcap file header fed, and nothing after it');
    if (!Number.isInteger(offset) || offset < this.offset) throw new RangeError(`offset must be an integer >= ${this.offset}, got ${offset}`);
    this.offset = offset;
  }

  feed(input: Uint8Array, onBatch: (b: PacketBatch) => void): void {
    const chunk = plainBytes(input);
    let pos = 0;
    while (this.carryLen > 0 && this.stage !== Stage.stopped) {
      const size = this.unitSize(this.carry, this.carryView, 0, this.carryLen);
      if (size < 0) return;
      if (this.carryLen >= size) {
        this.consume(this.carry, this.carryView, 0, size, onBatch);
        this.offset += size;
        this.carryLen = 0;
        break;
      }
      const take = Math.min(size - this.carryLen, chunk.length - pos);
      if (take === 0) return;
      this.growCarry(size);
      this.carry.set(chunk.subarray(pos, pos + take), this.carryLen);
      this.carryLen += take; pos += take;
    }
    if (this.stage === Stage.stopped || pos === chunk.length) return;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pos = this.parse(chunk, view, pos, chunk.length, onBatch);
    if (pos < chunk.length && this.stage !== Stage.stopped) {
      this.growCarry(chunk.length - pos);
      this.carry.set(chunk.subarray(pos), 0);
      this.carryLen = chunk.length - pos;
    }
  }

  /** Flushes the last batch and says whether (and where) the input ended early. */
  end(onBatch: (b: PacketBatch) => void): PcapEnd {
    if (this.batch.length > 0) { onBatch(this.batch); this.batch.length = 0; }
    if (this.problem === null && (this.carryLen > 0 || this.stage === Stage.magic || this.stage === Stage.pcapHeader)) {
      this.problemAt = this.offset;
      this.problem = this.stage === Stage.magic ? (this.offset === 0 && this.carryLen === 0 ? 'empty input' : 'truncated file header')
        : this.stage === Stage.pcapHeader ? 'truncated pcap file header'
          : this.stage === Stage.pcapRecords ? 'truncated pcap record' : 'truncated pcapng block';
    }
    this.carryLen = 0;
    return { truncatedAt: this.problemAt, problem: this.problem };
  }

  private growCarry(size: number): void {
    if (size <= this.carry.length) return;
    const next = new Uint8Array(Math.max(size, this.carry.length * 2));
    next.set(this.carry.subarray(0, this.carryLen));
    this.carry = next;
    this.carryView = new DataView(next.buffer);
  }

  private parse(b: Uint8Array, view: DataView, pos: number, end: number, onBatch: (b: PacketBatch) => void): number {
    for (;;) {
      const size = this.unitSize(b, view, pos, end - pos);
      if (size < 0 || size > end - pos) return pos;
      this.consume(b, view, pos, size, onBatch);
      pos += size;
      this.offset += size;
    }
  }

  /** Size of the unit at b[pos] given `avail` bytes (the header size while that is incomplete), or -1 after stopping. */
  private unitSize(b: Uint8Array, view: DataView, pos: number, avail: number): number {
    switch (this.stage) {
      case Stage.magic: {
        if (avail < 4) return 4;
        const le = view.getUint32(pos, true), be = view.getUint32(pos, false);
        if (be === PCAPNG_SHB) { this.stage = Stage.pcapng; this.format = 'pcapng'; return this.unitSize(b, view, pos, avail); }
        const magic = le === PCAP_MAGIC_USEC || le === PCAP_MAGIC_NSEC ? le : be;
        if (magic !== PCAP_MAGIC_USEC && magic !== PCAP_MAGIC_NSEC) return this.stop('not a pcap or pcapng file');
        this.littleEndian = magic === le;
        this.fractionUnit = magic === PCAP_MAGIC_NSEC ? 1e9 : 1e6;
        this.stage = Stage.pcapHeader; this.format = 'pcap';
        return 24;
      }
      case Stage.pcapHeader:
        return 24;
      case Stage.pcapRecords: {
        if (avail < 16) return 16;
        const capLen = view.getUint32(pos + 8, this.littleEndian);
        if (capLen > MAX_RECORD) return this.stop(`invalid pcap record length ${capLen}`);
        return 16 + capLen;
      }
      case Stage.pcapng: {
        if (avail < 12) return 12;
        const type = view.getUint32(pos, this.littleEndian);
        if (type === PCAPNG_SHB) {
          // A section header sets the byte order of everything up to the next one.
          const bom = view.getUint32(pos + 8, true);
          if (bom === PCAPNG_BYTE_ORDER) this.littleEndian = true;
          else if (bom === 0x4d3c2b1a) this.littleEndian = false;
          else return this.stop('invalid pcapng byte-order magic');
        }
        const len = view.getUint32(pos + 4, this.littleEndian);
        if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) return this.stop(`invalid pcapng block length ${len}`);
        return len;
      }
      default:
        return -1;
    }
  }

  private stop(problem: string): number {
    this.problem = problem;
    this.problemAt = this.offset;
    this.stage = Stage.stopped;
    this.carryLen = 0;
    return -1;
  }

  private consume(b: Uint8Array, view: DataView, pos: number, size: number, onBatch: (b: PacketBatch) => void): void {
    const le = this.littleEndian;
    if (this.stage === Stage.pcapHeader) {
      // The upper bits of the link-type field carry FCS information.
      this.linkType = view.getUint32(pos + 20, le) & 0xffff;
      this.noteLinkType(this.linkType);
      this.stage = Stage.pcapRecords;
      return;
    }
    if (this.stage === Stage.pcapRecords) {
      const time = view.getUint32(pos, le) + view.getUint32(pos + 4, le) / this.fractionUnit;
      this.packet(b, pos + 16, size - 16, view.getUint32(pos + 12, le), this.linkType, time, onBatch);
      return;
    }
    switch (view.getUint32(pos, le)) {
      case PCAPNG_SHB:
        this.flushForSection(onBatch);
        // unitSize() already switched this.littleEndian to read the block's length.
        this.sectionLittleEndian = le;
        this.ifLinkType = []; this.ifUnit = []; this.ifOffset = [];
        return;
      case BLOCK_IDB:
        this.flushForSection(onBatch);
        this.interfaceDescription(view, pos, size);
        return;
      case BLOCK_EPB:
        this.enhancedPacket(b, view, pos, size, view.getUint32(pos + 8, le), onBatch);
        return;
      case BLOCK_OPB:
        this.enhancedPacket(b, view, pos, size, view.getUint16(pos + 8, le), onBatch);
        return;
      case BLOCK_SPB: {
        // No interface id and no timestamp: interface 0, time of the previous packet.
        const wire = view.getUint32(pos + 8, le);
        const capLen = Math.min(wire, size - 16);
        if (this.ifLinkType.length === 0 || size < 16) { this.malformedPacket(onBatch); return; }
        this.packet(b, pos + 12, capLen, wire, this.ifLinkType[0], this.lastTime, onBatch);
        return;
      }
      default:
    }
  }

  /** Hands over the rows read in the section so far, before it changes. */
  private flushForSection(onBatch: (b: PacketBatch) => void): void {
    if (this.batch.length > 0) { onBatch(this.batch); this.batch.length = 0; }
    this.sectionVersion++;
  }

  private interfaceDescription(view: DataView, pos: number, size: number): void {
    const le = this.littleEndian;
    const linkType = size >= 20 ? view.getUint16(pos + 8, le) : 0;
    let unit = 1e6, offset = 0;
    const optionsEnd = pos + size - 4;
    for (let o = pos + 16; o + 4 <= optionsEnd;) {
      const code = view.getUint16(o, le), len = view.getUint16(o + 2, le);
      // opt_endofopt, or an option running past the block: no more options to trust.
      if (code === 0 || o + 4 + len > optionsEnd) break;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        const v = view.getUint8(o + 4);
        unit = (v & 0x80) !== 0 ? 2 ** (v & 0x7f) : 10 ** v;
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        offset = view.getInt32(o + 4 + (le ? 4 : 0), le) * TWO_32 + view.getUint32(o + 4 + (le ? 0 : 4), le);
      }
      o += 4 + ((len + 3) & ~3);
    }
    this.ifLinkType.push(linkType); this.ifUnit.push(unit); this.ifOffset.push(offset);
    this.noteLinkType(linkType);
  }

  private enhancedPacket(b: Uint8Array, view: DataView, pos: number, size: number, iface: number, onBatch: (b: PacketBatch) => void): void {
    const le = this.littleEndian;
    const capLen = size >= 32 ? view.getUint32(pos + 20, le) : -1;
    if (iface >= this.ifLinkType.length || capLen < 0 || capLen > size - 32) { this.malformedPacket(onBatch); return; }
    const time = timestampSeconds(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le), this.ifUnit[iface]) + this.ifOffset[iface];
    this.packet(b, pos + 28, capLen, view.getUint32(pos + 24, le), this.ifLinkType[iface], time, onBatch);
  }

  private packet(b: Uint8Array, start: number, capLen: number, wireLen: number, linkType: number, time: number, onBatch: (b: PacketBatch) => void): void {
    this.lastTime = time;
    // Lengths tcpdump rejects ("[Invalid header: ...]"): nothing in the frame can be trusted.
    if (capLen === 0 || wireLen === 0 || wireLen < capLen || wireLen > MAX_RECORD) { this.malformedPacket(onBatch); return; }
    const d = this.decoder;
    d.decodeFrame(b, start, capLen, wireLen, linkType);
    if (d.skip !== null) this.skipped[d.skip]++;
    this.push(time, d.src, d.dst, d.srcPort, d.dstPort, d.proto, d.bytes, onBatch);
  }

  /** A packet block whose framing is inconsistent: still a packet, but nothing can be decoded. */
  private malformedPacket(onBatch: (b: PacketBatch) => void): void {
    this.skipped.malformed++;
    this.push(this.lastTime, NO_HOST, NO_HOST, NO_PORT, NO_PORT, Proto.other, 0, onBatch);
  }

  private push(time: number, src: number, dst: number, sp: number, dp: number, proto: number, bytes: number, onBatch: (b: PacketBatch) => void): void {
    const batch = this.batch;
    // consume() runs before this.offset moves past the unit, so it is where the unit began.
    this.rowOffsets[batch.length] = this.offset;
    pushRecord(batch, time, src, dst, sp, dp, proto, bytes);
    this.packets++;
    if (batch.length === batch.time.length) { onBatch(batch); batch.length = 0; }
  }

  private noteLinkType(linkType: number): void {
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }
}

/**
 * A 64-bit pcapng timestamp (hi, lo words) in units of 1/unit second, as seconds. Long
 * division in 16-bit steps keeps every intermediate exact, so nanosecond stamps keep their
 * microseconds (a plain hi * 2^32 + lo would not fit in a double's 53 bits).
 */
export function timestampSeconds(hi: number, lo: number, unit: number): number {
  if (unit > 2 ** 36) return (hi * TWO_32 + lo) / unit;
  const qHi = Math.floor(hi / unit), rHi = hi - qHi * unit;
  const t1 = rHi * 65536 + (lo >>> 16);
  const q1 = Math.floor(t1 / unit), r1 = t1 - q1 * unit;
  const t2 = r1 * 65536 + (lo & 0xffff);
  const q2 = Math.floor(t2 / unit), r2 = t2 - q2 * unit;
  return qHi * TWO_32 + q1 * 65536 + q2 + r2 / unit;
}
