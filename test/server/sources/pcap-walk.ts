// Test helper: walks a classic pcap file's record headers, independently of PcapReader, to
// find where each record begins and the time its header stamps.

function order(file: Uint8Array): { le: boolean; unit: number } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const le = view.getUint32(0, true), be = view.getUint32(0, false);
  const magic = le === 0xa1b2c3d4 || le === 0xa1b23c4d ? le : be;
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error('not a classic pcap');
  return { le: magic === le, unit: magic === 0xa1b23c4d ? 1e9 : 1e6 };
}

/** Byte offsets of every complete record (after the 24-byte file header). */
export function pcapRecordStarts(file: Uint8Array): number[] {
  const { le } = order(file);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const starts: number[] = [];
  for (let o = 24; o + 16 <= file.length;) {
    const next = o + 16 + view.getUint32(o + 8, le);
    if (next > file.length) break;
    starts.push(o);
    o = next;
  }
  return starts;
}

/** The time stamped in the header of the record at `offset`, in seconds. */
export function pcapRecordTime(file: Uint8Array, offset: number): number {
  const { le, unit } = order(file);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  return view.getUint32(offset, le) + view.getUint32(offset + 4, le) / unit;
}
