// `npm run bench [-- --only GROUP]`: measures netshade on fixed inputs and ends with ONE line,
// a JSON object of the figures in ../shared/docs/bench-figures.md (a key is absent while its
// feature does not exist), after progress lines and a table (figure, value, target, result).
// Inputs come from the team's data folder (bench/data.ts) or are generated, seeded. Timings
// are wall-clock medians of several runs after warm-up; ratios compare two things measured in
// the same run.
//
// Groups:
//   ingest  tcpdump -q text parsed into packet records (>= 2M real lines repeated, 1 MiB
//           chunks) and the same through a readline + regex baseline; pcap records decoded
//           (a seeded 1.05M-packet demo pcap in memory; zeek-echo-connections.pcap shown too);
//           `node dist/server/cli.js convert` of a generated 10M-line text file to Parquet, as a
//           child process (wall time, peak RSS), and of a 2.5M-line one to show memory is flat
//   bundle  cold hammerBundle of the two graphs in data/graphs on the circular layout, and
//           the density correlation of each with the reference
//   render  one live frame (drawn as palette indices, encoded as an indexed PNG) from 1M bundle-like vertices at 2000x2000
//           and 3840x2160, the frame's PNG bytes, and each PNG candidate's bytes and encode time
//   serve   20 WebSocket viewers (one stalled) on the built server: the lowest live frame
//           rate and the server's longest event-loop delay
import { parseArgs } from 'node:util';
import { benchBundle } from './bundle.js';
import { benchIngest } from './ingest.js';
import { benchRender } from './render.js';
import { benchServe } from './serve.js';
import { figures, formatTable, type Row } from './report.js';

type Group = (log: (line: string) => void) => Promise<Row[]>;

const GROUPS: Readonly<Record<string, Group>> = {
  ingest: benchIngest,
  bundle: benchBundle,
  render: benchRender,
  serve: benchServe,
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only;
if (only !== undefined && !Object.hasOwn(GROUPS, only)) {
  console.error(`--only must be one of ${Object.keys(GROUPS).join(', ')}, got "${only}"`);
  process.exit(2);
}

const log = (line: string): void => console.log(line);
const rows: Row[] = [];
const started = performance.now();
for (const [name, group] of Object.entries(GROUPS)) {
  if (only !== undefined && name !== only) continue;
  const t0 = performance.now();
  rows.push(...await group(log));
  log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
log(`bench: ${((performance.now() - started) / 1000).toFixed(1)} s in all\n`);
console.log(formatTable(rows));
console.log(JSON.stringify(figures(rows)));
