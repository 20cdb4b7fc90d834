// A minimal PNG decoder for tests (8-bit RGB/RGBA, non-interlaced): inflate + unfilter.
// Independent of the encoder under test.
import { inflateSync } from 'node:zlib';

export interface DecodedPng { width: number; height: number; channels: 3 | 4; rgb: Uint8Array; raw: Uint8Array }

export function decodePngForTest(file: Uint8Array): DecodedPng {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('test decoder handles 8-bit non-interlaced only');
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  if (colorType !== 2 && colorType !== 6) throw new Error(`test decoder handles RGB/RGBA only, got colour type ${colorType}`);
  const channels = colorType === 2 ? 3 : 4;
  const stride = width * channels;
  const packed = inflateSync(Buffer.concat(idat));
  const raw = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = packed[y * (stride + 1)];
    const src = packed.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride, prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? raw[row + x - channels] : 0;
      const b = y > 0 ? raw[prev + x] : 0;
      const c = x >= channels && y > 0 ? raw[prev + x - channels] : 0;
      let v = src[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      raw[row + x] = v & 255;
    }
  }
  let rgb = raw;
  if (channels === 4) {
    rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) { rgb[3 * i] = raw[4 * i]; rgb[3 * i + 1] = raw[4 * i + 1]; rgb[3 * i + 2] = raw[4 * i + 2]; }
  }
  return { width, height, channels, rgb, raw };
}
