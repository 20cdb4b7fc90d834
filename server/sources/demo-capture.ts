// The demo capture on disk: generated once per (seed, options), written as a pcap in chunks,
// and reused while present. The file is written under a temporary name and renamed, so a
// crash or a concurrent writer never leaves a half-written demo file behind.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDemoTraffic, mulberry32, resolveDemoOptions, type DemoTrafficOptions } from './demo-traffic.js';
import { PCAP_MAX_RECORD_BYTES, pcapFileHeader, writePcapRecords } from '../export/pcap-writer.js';

export const DEMO_DEFAULT_SEED = 2012;

/** Bump when demo-traffic or pcap-writer output changes, so cached demo files are regenerated. */
const DEMO_CAPTURE_VERSION = 1;
const CHUNK_PACKETS = 16384;

export interface DemoCaptureOptions extends Partial<DemoTrafficOptions> {
  /** PRNG seed, an integer in [0, 2^32). */
  seed?: number;
}

/** `demo-<seed>-<hash of the options>.pcap` (pure; validates the options). */
export function demoCaptureName(options: DemoCaptureOptions = {}): string {
  const { seed = DEMO_DEFAULT_SEED, ...rest } = options ?? {};
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  const o = resolveDemoOptions(rest);
  const key = JSON.stringify([DEMO_CAPTURE_VERSION, o.durationS, o.hosts, o.packetsPerSecond, o.startTime]);
  return `demo-${seed}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}.pcap`;
}

/** Path of the demo capture in dir, writing it first when it is not there yet. */
export async function ensureDemoCapture(dir: string, options: DemoCaptureOptions = {}): Promise<string> {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a non-empty path');
  const path = join(dir, demoCaptureName(options));
  if (await isFile(path)) return path;
  const { seed = DEMO_DEFAULT_SEED, ...rest } = options;
  await mkdir(dir, { recursive: true });
  const traffic = generateDemoTraffic(mulberry32(seed), rest);
  const tmp = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.write(pcapFileHeader());
    const chunk = new Uint8Array(CHUNK_PACKETS * PCAP_MAX_RECORD_BYTES);
    for (let from = 0; from < traffic.length; from += CHUNK_PACKETS) {
      const end = writePcapRecords(traffic, from, Math.min(traffic.length, from + CHUNK_PACKETS), chunk, 0);
      await file.write(chunk, 0, end);
    }
    await file.close();
    await rename(tmp, path);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  return path;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
