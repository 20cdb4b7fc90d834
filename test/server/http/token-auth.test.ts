// A server that listens beyond loopback needs its token on every route: the page and its
// files, the API and the WebSocket. Unit part through inject; the CLI part as a user runs it.
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isLoopback, TOKEN_COOKIE } from '../../../server/http/token-auth.js';
import { runCli, startServer, waitFor } from '../../helpers/cli.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { appOnCapture } from '../../helpers/app.js';

const TOKEN = 's3cret-token-for-tests';

describe('isLoopback', () => {
  it('knows the addresses only this machine reaches', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '127.0.0.1.example.org']) expect(isLoopback(h), h).toBe(false);
  });
});

describeData('buildApp with a token', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const { app: appReady, close } = appOnCapture(file, { speed: 1, windowSeconds: 60, token: TOKEN });
  afterAll(close);

  it('answers 401 without the token, on the API, the page and the replay control', async () => {
    const app = await appReady;
    for (const [method, url] of [['GET', '/api/stats'], ['GET', '/'], ['GET', '/style.css'], ['POST', '/api/replay'], ['GET', '/api/stats?token=wrong']] as const) {
      const r = await app.inject({ method, url, payload: method === 'POST' ? { action: 'pause' } : undefined });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
      expect(r.json().message).toMatch(/needs its token/);
    }
    expect((await app.inject({ method: 'GET', url: '/api/stats', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });

  it('lets the token in as a bearer header, a query (which sets an HttpOnly same-site cookie) or that cookie', async () => {
    const app = await appReady;
    expect((await app.inject({ method: 'GET', url: '/api/stats', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    const page = await app.inject({ method: 'GET', url: `/?token=${TOKEN}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain(`${TOKEN_COOKIE}=${TOKEN}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const css = await app.inject({ method: 'GET', url: '/style.css', cookies: { [TOKEN_COOKIE]: TOKEN } });
    expect(css.statusCode).toBe(200);
  });
});

describeData('serve beyond loopback (CLI)', () => {
  it('refuses to start on 0.0.0.0 without a token, with a message saying how', () => {
    const r = runCli(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--host', '0.0.0.0', '--port', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--token TOKEN or NETSHADE_TOKEN/);
  });

  it('with --token: the WebSocket and the API need it, and let it in', async () => {
    const server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--host', '0.0.0.0', '--token', TOKEN]);
    try {
      await waitFor('the token notice', () => (/token required/.test(server.output()) ? true : undefined));
      const local = server.url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${local}/api/stats`)).status).toBe(401);
      expect((await fetch(`${local}/api/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const ws = (headers: Record<string, string>) => new Promise<string>((resolve) => {
        const socket = new WebSocket(`${local.replace('http', 'ws')}/ws`, { headers });
        socket.once('message', (data) => { resolve(`message ${String(data).slice(0, 20)}`); socket.close(); });
        socket.once('error', (err) => resolve(`error ${err.message}`));
      });
      expect(await ws({})).toBe('error Unexpected server response: 401');
      expect(await ws({ cookie: `${TOKEN_COOKIE}=wrong` })).toBe('error Unexpected server response: 401');
      expect(await ws({ cookie: `${TOKEN_COOKIE}=${TOKEN}` })).toMatch(/^message \{"type":"hello"/);
    } finally {
      await server.stop();
    }
  });
});
