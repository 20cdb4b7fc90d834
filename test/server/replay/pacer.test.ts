import { describe, it, expect } from 'vitest';
import { ReplayPacer, parseSpeed } from '../../../server/replay/pacer.js';

const times = (...t: number[]) => Float64Array.from(t);

describe('ReplayPacer', () => {
  it('releases records at capture pace times speed', () => {
    const p = new ReplayPacer({ speed: 2 });
    const t = times(100, 100.5, 101, 104);
    // At wall 0 the first record anchors the clock: 100 is due, 100.5 is due 250 ms later.
    expect(p.due(t, 0, 4, 0)).toEqual({ end: 1, waitMs: 250 });
    expect(p.due(t, 1, 4, 250)).toEqual({ end: 2, waitMs: 250 });
    expect(p.due(t, 2, 4, 600)).toEqual({ end: 3, waitMs: 1400 });
    expect(p.captureNow(600)).toBeCloseTo(101.2);
    expect(p.due(t, 3, 4, 2000)).toEqual({ end: 4, waitMs: 0 });
  });

  it('releases late (out-of-order) records at once', () => {
    const p = new ReplayPacer({ speed: 1 });
    const t = times(10, 9, 10.5);
    expect(p.due(t, 0, 3, 0)).toEqual({ end: 2, waitMs: 500 });
  });

  it('shortens idle gaps to maxIdleMs of wall time', () => {
    const p = new ReplayPacer({ speed: 1, maxIdleMs: 2000 });
    const t = times(0, 1e9, 1e9 + 1);
    expect(p.due(t, 0, 3, 0)).toEqual({ end: 1, waitMs: 2000 });
    expect(p.due(t, 1, 3, 2000)).toEqual({ end: 2, waitMs: 1000 });
    expect(p.due(t, 2, 3, 3000)).toEqual({ end: 3, waitMs: 0 });
  });

  it('releases everything at speed max', () => {
    const p = new ReplayPacer({ speed: 'max' });
    expect(p.due(times(5, 1e9), 0, 2, 0)).toEqual({ end: 2, waitMs: 0 });
    expect(p.captureNow(0)).toBe(1e9);
  });

  it('parses and validates speed', () => {
    expect(parseSpeed('60')).toBe(60);
    expect(parseSpeed('max')).toBe('max');
    expect(() => parseSpeed('0')).toThrow(/speed/);
    expect(() => parseSpeed('fast')).toThrow(/speed/);
  });
});

describe('ReplayPacer controls', () => {
  it('pauses and resumes without losing capture time', () => {
    const p = new ReplayPacer({ speed: 1 });
    const t = times(0, 1, 2);
    expect(p.due(t, 0, 3, 0)).toEqual({ end: 1, waitMs: 1000 });
    p.pause(500);
    expect(p.captureNow(5000)).toBe(0.5);
    expect(p.due(t, 1, 3, 5000).end).toBe(1);
    p.resume(10_000);
    // The clock resumes at 0.5: record 1 is due 500 ms later.
    expect(p.due(t, 1, 3, 10_000)).toEqual({ end: 1, waitMs: 500 });
    expect(p.due(t, 1, 3, 10_500)).toEqual({ end: 2, waitMs: 1000 });
  });

  it('changes speed on the fly from the current clock', () => {
    const p = new ReplayPacer({ speed: 1, maxIdleMs: 60_000 });
    const t = times(0, 10);
    p.due(t, 0, 2, 0);
    p.setSpeed(10, 2000); // clock at 2 s; 8 capture seconds left at 10x = 800 ms
    expect(p.due(t, 1, 2, 2000)).toEqual({ end: 1, waitMs: 800 });
    p.setSpeed('max', 2100);
    expect(p.due(t, 1, 2, 2100)).toEqual({ end: 2, waitMs: 0 });
    expect(() => p.setSpeed(0, 0)).toThrow(/speed/);
  });

  it('jumps to a capture time: earlier records are due at once, later ones paced from there', () => {
    const p = new ReplayPacer({ speed: 1 });
    p.due(times(0), 0, 1, 0);
    p.jumpTo(100, 1000);
    const t = times(95, 99.5, 101);
    expect(p.due(t, 0, 3, 1000)).toEqual({ end: 2, waitMs: 1000 });
    expect(p.captureNow(1500)).toBe(100.5);
  });
});
