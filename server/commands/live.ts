// `netshade live`: serves what is happening now: capture on an interface with libpcap (cap),
// or with a tcpdump netshade starts (--tcpdump), or follow a growing tcpdump text file or
// stdin (--follow). Packets are shown as they arrive: reality paces the source.
import { parseArgs } from 'node:util';
import type { PipelineSource } from '../pipeline/live-pipeline.js';
import { followFileSource, liveCaptureSource, tcpdumpSource } from '../sources/live-sources.js';
import { UsageError, nonNegativeNumber } from './args.js';
import { serve, SERVE_OPTIONS } from './serve.js';

const LIVE_OPTIONS = {
  ...SERVE_OPTIONS,
  interface: { type: 'string', short: 'i' }, filter: { type: 'string', short: 'f' },
  snaplen: { type: 'string' }, promisc: { type: 'boolean' }, 'buffer-mb': { type: 'string' },
  tcpdump: { type: 'boolean' }, follow: { type: 'string' },
} as const;

/** Largest snapshot cap can capture: it opens libpcap with a fixed 65535-byte snaplen. */
const CAP_MAX_SNAPLEN = 65535;

export async function runLive(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({ args: argv, options: LIVE_OPTIONS, allowPositionals: true });
  if (positionals.length) throw new UsageError(`live takes no FILE or filter words (give the filter as -f '...'), got "${positionals[0]}"`);
  for (const name of ['speed', 'loop', 'seed'] as const) {
    if (v[name] !== undefined) throw new UsageError(`--${name} does not apply to live: packets are shown as they arrive`);
  }
  let source: PipelineSource;
  if (v.follow !== undefined) {
    for (const name of ['interface', 'filter', 'snaplen', 'promisc', 'buffer-mb', 'tcpdump'] as const) {
      if (v[name] !== undefined) throw new UsageError(`--${name} does not apply to --follow (it reads text tcpdump already printed)`);
    }
    source = followFileSource(v.follow, {
      onMissing: (path) => console.error(`netshade: ${path}: no such file yet, waiting for it to appear`),
    });
  } else {
    const iface = v.interface;
    if (!iface) throw new UsageError('live needs -i INTERFACE (netshade interfaces lists them) or --follow FILE');
    const snaplen = nonNegativeNumber('snaplen', v.snaplen, 0, true);
    if (snaplen !== 0 && snaplen < 64) throw new UsageError(`--snaplen must be 0 (all) or at least 64 bytes, got ${snaplen}`);
    const bufferMb = v['buffer-mb'] === undefined ? undefined : nonNegativeNumber('buffer-mb', v['buffer-mb'], 0);
    if (bufferMb !== undefined && (bufferMb < 1 || bufferMb > 2047)) throw new UsageError(`--buffer-mb must be 1..2047, got ${bufferMb}`);
    const common = { interface: iface, filter: v.filter, promisc: Boolean(v.promisc), bufferMb };
    if (v.tcpdump) {
      source = await tcpdumpSource({ ...common, snaplen, onStderr: (line) => console.error(line.startsWith('tcpdump') ? line : `tcpdump: ${line}`) });
    } else {
      source = liveCaptureSource({ ...common, snaplen: snaplen === 0 ? CAP_MAX_SNAPLEN : Math.min(snaplen, CAP_MAX_SNAPLEN) });
      if (!v.promisc && iface !== 'any') {
        console.error(`netshade: note: cap always opens ${iface} in promiscuous mode; --tcpdump captures without it`);
      }
    }
  }
  await serve(v, source, 'max', false);
}
