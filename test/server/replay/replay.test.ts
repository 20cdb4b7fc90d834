// replay(): a seek reopens the capture with the time before which rows are dropped, so an
// opener with an index may start part way in; what is released is the same either way.
import { describe, expect, it } from 'vitest';
import { createPacketBatch, pushRecord, type PacketBatch } from '../../../shared/records.js';
import { ReplayPacer } from '../../../server/replay/pacer.js';
import { replay } from '../../../server/replay/replay.js';

/** Rows at times 0..99 (one a second), 10 per batch, from the first row at or after `from`. */
async function* rowsFrom(from: number): AsyncIterable<PacketBatch> {
  for (let t0 = 0; t0 < 100; t0 += 10) {
    const b = createPacketBatch(10);
    for (let t = t0; t < t0 + 10; t++) if (t >= from) pushRecord(b, t, 0, 1, 1, 2, 6, 100);
    if (b.length > 0) yield b;
  }
}

async function releasedAfterSeek(indexed: boolean): Promise<{ skipBefores: number[]; times: number[] }> {
  const skipBefores: number[] = [];
  const times: number[] = [];
  let seek: number | null = null, passes = 0;
  await new Promise<void>((resolve, reject) => {
    const subscription = replay({
      // An indexed opener starts a few rows short of the target, as an index entry would.
      open: (skipBefore) => { skipBefores.push(skipBefore); return rowsFrom(indexed ? Math.floor(skipBefore) - 3 : -Infinity); },
      pacer: new ReplayPacer({ speed: 'max' }),
      control: { loop: () => false, takeSeek: () => { const t = seek; seek = null; return t; } },
      reopenable: true,
      seekLeadSeconds: 5,
      onPassEnd: () => { if (++passes === 1) seek = 50; else { subscription.unsubscribe(); resolve(); } },
    }).subscribe({
      next: ({ batch, start, end }) => { if (passes === 1) for (let i = start; i < end; i++) times.push(batch.time[i]); },
      error: reject,
    });
  });
  return { skipBefores, times };
}

describe('replay: seeking', () => {
  it('opens with -Infinity for a pass from the start and target - lead for a seek', async () => {
    const { skipBefores } = await releasedAfterSeek(false);
    expect(skipBefores).toEqual([-Infinity, 45]);
  });

  it('releases rows from target - lead on, whether the opener starts at the start or part way in', async () => {
    const expected = Array.from({ length: 55 }, (_, i) => 45 + i);
    expect((await releasedAfterSeek(false)).times).toEqual(expected);
    expect((await releasedAfterSeek(true)).times).toEqual(expected);
  });
});

describe('replay: skipping before a seek target', () => {
  it('ends at the first row at or after target - lead: later earlier-stamped rows still play', async () => {
    // Two batches; times step back in the second (as in captures merged out of order).
    async function* stepBack(): AsyncIterable<PacketBatch> {
      for (const times of [[10, 20, 30], [25, 40]]) {
        const b = createPacketBatch(3);
        for (const t of times) pushRecord(b, t, 0, 1, 1, 2, 6, 100);
        yield b;
      }
    }
    const times: number[] = [];
    let seek: number | null = null, passes = 0;
    await new Promise<void>((resolve, reject) => {
      const subscription = replay({
        open: () => stepBack(),
        pacer: new ReplayPacer({ speed: 'max' }),
        control: { loop: () => false, takeSeek: () => { const t = seek; seek = null; return t; } },
        reopenable: true,
        seekLeadSeconds: 0,
        onPassEnd: () => { if (++passes === 1) seek = 30; else { subscription.unsubscribe(); resolve(); } },
      }).subscribe({
        next: ({ batch, start, end }) => { if (passes === 1) for (let i = start; i < end; i++) times.push(batch.time[i]); },
        error: reject,
      });
    });
    expect(times).toEqual([30, 25, 40]);
  });
});
