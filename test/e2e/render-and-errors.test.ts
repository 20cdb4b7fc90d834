// `netshade render` on a real capture, and every kind of bad input the batch commands meet.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeData, dataPath, REPO_ROOT } from '../helpers/data.js';
import { runCli } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';

const work = mkdtempSync(join(tmpdir(), 'netshade-render-'));

describeData('netshade render', () => {
  it('draws the SYN-ACK reflection capture as a bundled fire picture with red host dots', () => {
    const out = join(work, 'stopddos.png');
    const r = runCli(['render', dataPath('pcap', 'stopddos-amp.TCP.reflection.SYNACK.pcap'), '-o', out, '--width', '800', '--height', '800']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/8000 packets/);
    const img = decodePngForTest(readFileSync(out));
    expect([img.width, img.height]).toEqual([800, 800]);
    let fire = 0, red = 0, black = 0;
    for (let i = 0; i < img.width * img.height; i++) {
      const [R, G, B] = [img.rgb[3 * i], img.rgb[3 * i + 1], img.rgb[3 * i + 2]];
      if (R === 0 && G === 0 && B === 0) black++;
      else if (R > 200 && G < 40 && B < 40) red++;
      else if (R >= G && G >= B) fire++;
    }
    expect(black).toBeGreaterThan(img.width * img.height * 0.5);
    expect(fire).toBeGreaterThan(2000);
    expect(red).toBeGreaterThan(500);
    if (process.env.UPDATE_DOCS) {
      mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
      writeFileSync(join(REPO_ROOT, 'docs', 'render-stopddos-amp.png'), readFileSync(out));
    }
  });

  it('keeps everything before the cut of a truncated capture, with a warning', () => {
    const out = join(work, 'truncated.png');
    const r = runCli(['render', dataPath('pcap', 'suricata-http-mime-truncated.pcap'), '-o', out, '--size', '300']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2696 packets/);
    expect(r.stderr).toMatch(/suricata-http-mime-truncated\.pcap.*truncated/i);
  });
});

describe('bad input to batch commands', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a missing file', () => join(work, 'nope.pcap'), /nope\.pcap.*(no such file|not found|does not exist)/i],
    ['a directory', () => { const d = join(work, 'adir'); mkdirSync(d, { recursive: true }); return d; }, /adir.*directory/i],
    ['an empty file', () => { const f = join(work, 'empty.pcap'); writeFileSync(f, ''); return f; }, /empty\.pcap.*empty/i],
    ['a file that is not a capture', () => join(REPO_ROOT, 'package.json'), /package\.json.*not a (packet )?capture/i],
  ];
  beforeAll(() => mkdirSync(work, { recursive: true }));
  for (const [what, make, message] of cases) {
    it(`fails clearly on ${what}`, () => {
      const r = runCli(['render', make(), '-o', join(work, 'x.png')]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').length).toBe(1);
    });
  }

  it('rejects an unknown command and bad flags with usage', () => {
    const r = runCli(['paint']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "paint"/);
    const s = runCli(['replay', 'x.pcap', '--speed', 'fast']);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/speed/);
    for (const [option, value, range] of [['--size', '0', '16 to 16384'], ['--size', 'abc', '16 to 16384'], ['--width', '20000', '16 to 16384'], ['--port', '99999', '0 to 65535']]) {
      const bad = runCli(['serve', option, value]);
      expect(bad.status).toBe(2);
      expect(bad.stderr.split('\n')[0]).toBe(`netshade: ${option} must be an integer from ${range}, got "${value}"`);
    }
  });

  it('prints the usage, every option, for --help after any command', () => {
    for (const argv of [['--help'], ['render', '--help'], ['replay', 'x.pcap', '-h']]) {
      const r = runCli(argv);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^netshade: live network-traffic pictures/);
      for (const option of ['--sum edges|bytes', '--antialias', '--highlight', '--layers']) expect(r.stdout).toContain(option);
    }
  });
});

describeData('render --highlight', () => {
  beforeAll(() => mkdirSync(work, { recursive: true }));
  it('says in one line that a --highlight host is not in the capture', () => {
    const file = dataPath('pcap', 'pcpp-example.pcap');
    const r = runCli(['render', file, '-o', join(work, 'x.png'), '--size', '64', '--highlight', '203.0.113.9']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`netshade: ${file}: --highlight 203.0.113.9: no such host in the capture`);
  });
});
