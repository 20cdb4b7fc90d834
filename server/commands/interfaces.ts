// `netshade interfaces`: the devices libpcap can capture on, for `netshade live -i NAME`.
import { parseArgs } from 'node:util';
import { listInterfaces } from '../sources/live-capture.js';
import { UsageError } from './args.js';

export async function runInterfaces(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length) throw new UsageError(`interfaces takes no arguments, got "${positionals[0]}"`);
  const devices = listInterfaces();
  if (v.json) { console.log(JSON.stringify(devices, null, 2)); return; }
  const width = Math.max(4, ...devices.map((d) => d.name.length));
  for (const d of devices) {
    const about = [d.addresses.join(' '), d.loopback ? '(loopback)' : '', d.description ?? ''].filter(Boolean).join('  ');
    console.log(`${d.name.padEnd(width)}  ${about}`.trimEnd());
  }
}
