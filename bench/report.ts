// What a bench group hands back (rows: a figure of ../shared/docs/bench-figures.md when it has a
// key, else a line for the reader), the targets of that document, and the two printouts: a
// table for people and the one JSON line for machines.

/** A figure (named by its key) or a line only shown in the table (named by its label). */
export type Row = ({ key: string; label?: never } | { key?: never; label: string }) & {
  value: number;
  unit: string;
  /** Shown after the value: the input, the spread of the runs ... */
  note?: string;
};

export interface Target {
  op: '>=' | '<=' | '<';
  value: number;
}

/** Targets from bench-figures.md; a figure without one is reported only. */
export const TARGETS: Readonly<Record<string, Target>> = {
  parse_text_lines_per_s: { op: '>=', value: 5e6 },
  parse_text_vs_readline_regex: { op: '>=', value: 8 },
  pcap_packets_per_s: { op: '>=', value: 5e6 },
  convert_lines_per_s: { op: '>=', value: 2e6 },
  convert_peak_rss_mb: { op: '<=', value: 300 },
  bundle_maccdc_sample_s: { op: '<=', value: 0.1 },
  bundle_synthetic_8218_s: { op: '<=', value: 0.35 },
  bundle_100k_s: { op: '<=', value: 5 },
  bundle_corr_maccdc_sample: { op: '>=', value: 0.9 },
  bundle_corr_synthetic_8218: { op: '>=', value: 0.9 },
  bundle_warm_5pct_ratio: { op: '<=', value: 0.3 },
  bundle_unchanged_displacement: { op: '<', value: 0.01 },
  frame_2000_1m_ms: { op: '<=', value: 60 },
  frame_3840x2160_ms: { op: '<=', value: 120 },
  // The serve group's configured rate: one frame per 1-s re-bundle interval (bench/serve.ts);
  // timers run late by a fraction of a millisecond a tick, so 1% below it still is every tick.
  serve_20_viewers_min_fps: { op: '>=', value: 0.99 },
  serve_event_loop_max_ms: { op: '<=', value: 20 },
};

export function meets(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.value : target.op === '<=' ? value <= target.value : value < target.value;
}

/** Figures rounded for the JSON line: integers as they are, others to 4 significant digits. */
export function figures(rows: readonly Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.key !== undefined) out[r.key] = Number.isInteger(r.value) ? r.value : Number(r.value.toPrecision(4));
  return out;
}

function formatNumber(v: number, exact = false): string {
  if (Number.isInteger(v) && (exact || Math.abs(v) < 1e5)) return String(v);
  if (Math.abs(v) >= 1e5 && !exact) return v.toExponential(2).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** The table: figure, value, target, pass/fail ("-" where there is no target). */
export function formatTable(rows: readonly Row[]): string {
  const lines = rows.map((r) => {
    const target = r.key !== undefined ? TARGETS[r.key] : undefined;
    return [
      r.key ?? `  ${r.label ?? ''}`,
      `${formatNumber(r.value, r.unit === 'B')} ${r.unit}`.trim() + (r.note ? ` (${r.note})` : ''),
      target ? `${target.op} ${formatNumber(target.value)}` : r.key !== undefined ? 'report' : '',
      target ? (meets(r.value, target) ? 'pass' : 'FAIL') : '-',
    ];
  });
  const header = ['figure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}
