// Host detail and top talkers over HTTP, with the whole of a real capture in the window,
// against a plain split of tcpdump's own text.
import { afterAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { HostDetailReply, HostsReply, TalkersReply } from '../../../shared/protocol.js';
import { waitFor } from '../../helpers/cli.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { appOnCapture } from '../../helpers/app.js';

/** Per host, bytes on every IP line it is on (the number after `tcp` or `length` ending the line), as convert's test reads them. */
function bytesByHost(): Map<string, number> {
  const total = new Map<string, number>();
  for (const line of readFileSync(dataPath('tcpdump', 'ndpi-gnutella.pcap.txt'), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[1] !== 'IP' && f[1] !== 'IP6') continue;
    const host = (s: string) => (f[1] === 'IP' ? s.split('.').slice(0, 4).join('.') : s.replace(/\.\d+$/, ''));
    const a = host(f[2]), b = host(f[4].slice(0, -1));
    const n = Number(/(?:tcp|length) (\d+)$/.exec(line)?.[1] ?? 0);
    total.set(a, (total.get(a) ?? 0) + n);
    if (b !== a) total.set(b, (total.get(b) ?? 0) + n);
  }
  return total;
}

describeData('host detail and top talkers over HTTP', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const { pipeline, app: appReady, close } = appOnCapture(file, { speed: 'max', windowSeconds: 1e9 });
  afterAll(close);

  it('ranks the busiest host first and details it as tcpdump\'s text adds up', async () => {
    const app = await appReady;
    pipeline.start();
    await waitFor('the whole capture', () => (pipeline.stats().captureTime === 600.247226 ? true : undefined));
    const expected = bytesByHost();
    const [busiest, bytes] = [...expected].sort((x, y) => y[1] - x[1])[0];

    const talkers = (await app.inject({ method: 'GET', url: '/api/talkers?top=3' })).json() as TalkersReply;
    expect(talkers.hosts).toHaveLength(3);
    expect(talkers.hosts[0]).toMatchObject({ address: busiest, bytes });
    expect(talkers.pairs[0].bytes).toBeGreaterThanOrEqual(talkers.pairs[1].bytes);

    const r = await app.inject({ method: 'GET', url: `/api/host/${busiest}?top=5` });
    expect(r.statusCode).toBe(200);
    const d = r.json() as HostDetailReply;
    expect(d.address).toBe(busiest);
    expect(d.bytesIn + d.bytesOut).toBe(bytes);
    expect(d.peers.length).toBeLessThanOrEqual(5);
    expect(d.bytesOutPerSecond.reduce((a, b) => a + b, 0)).toBe(d.bytesOut);
    // The first IP line of the text is at 00:00:09.752391: the series starts at that second.
    expect(d.seriesStart).toBe(9);
  });

  it('lists the window\'s hosts of an address block, most bytes first', async () => {
    const app = await appReady;
    const expected = [...bytesByHost()].filter(([a]) => a.startsWith('10.0.2.')).sort((x, y) => y[1] - x[1]);
    const r = (await app.inject({ method: 'GET', url: '/api/hosts?cidr=10.0.2.0/24&top=50' })).json() as HostsReply;
    expect(r.total).toBe(expected.length);
    expect(r.hosts.map((h) => [h.address, h.bytes])).toEqual(expected.slice(0, 50));
    expect((await app.inject({ method: 'GET', url: '/api/hosts?cidr=10.0.2.0/40' })).statusCode).toBe(400);
  });

  it('answers 404 for a host without traffic and 400 for what is not an address', async () => {
    const app = await appReady;
    expect((await app.inject({ method: 'GET', url: '/api/host/203.0.113.7' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/host/not-an-ip' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/host/1.2.3.4?top=0' })).statusCode).toBe(400);
  });
});
