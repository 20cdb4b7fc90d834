// The Parquet and Arrow files convert writes, read by pyarrow and pandas (the readers analysts
// use), must hold what the CSV beside them holds. Runs where a Python with pyarrow and pandas
// is found (NETSHADE_PYTHON, default python3); elsewhere it skips, saying so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dataPath, HAVE_DATA } from '../helpers/data.js';

const PYTHON = process.env.NETSHADE_PYTHON ?? 'python3';
const probe = spawnSync(PYTHON, ['-c', 'import pyarrow, pandas'], { encoding: 'utf8' });
const HAVE_PYARROW = probe.status === 0;
if (!HAVE_PYARROW) console.warn(`[netshade tests] skipping the pyarrow/pandas check: ${PYTHON} cannot import pyarrow and pandas (set NETSHADE_PYTHON)`);

/** For each .parquet in DIR: rows, column types, and whether pandas reads it, its .arrow and its .csv alike. */
const CHECK = String.raw`
import glob, json, sys
import pandas as pd, pyarrow.feather as feather, pyarrow.parquet as pq
out = {}
for path in sorted(glob.glob(sys.argv[1] + '/*.parquet')):
    table = pq.read_table(path)
    csv = pd.read_csv(path[:-len('parquet')] + 'csv', keep_default_na=False).astype(str)
    parquet = pd.read_parquet(path).astype(str)
    arrow = feather.read_table(path[:-len('parquet')] + 'arrow').to_pandas().astype(str)
    out[path.split('/')[-1]] = {'rows': table.num_rows, 'types': [str(t) for t in table.schema.types],
                                'same': parquet.equals(csv) and arrow.equals(csv)}
print(json.dumps(out))
`;

(HAVE_PYARROW && HAVE_DATA ? describe : describe.skip)('convert output read by pyarrow and pandas', () => {
  it('reads the node and edge tables of real captures as the CSV has them', () => {
    const out = mkdtempSync(join(tmpdir(), 'netshade-pyarrow-'));
    for (const name of ['ndpi-gnutella.pcap', 'pcpp-tls2.pcap']) expect(runCli(['convert', dataPath('pcap', name), '--out', out]).status).toBe(0);
    const r = spawnSync(PYTHON, ['-c', CHECK, out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const tables = JSON.parse(r.stdout) as Record<string, { rows: number; types: string[]; same: boolean }>;
    expect(Object.keys(tables)).toHaveLength(4);
    // ndpi-gnutella has 521 IP hosts (pcap/SOURCES.md).
    expect(tables['ndpi-gnutella.pcap.nodes.parquet']).toEqual({ rows: 521, types: ['int32', 'string', 'int64', 'int64'], same: true });
    expect(tables['ndpi-gnutella.pcap.edges.parquet'].types).toEqual(['int32', 'int32', 'string', 'int64', 'int64']);
    for (const t of Object.values(tables)) expect(t.same).toBe(true);
  });
});
