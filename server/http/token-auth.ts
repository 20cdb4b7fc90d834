// Token check on every route (the page, its files, the API and the WebSocket), for a server
// that listens beyond loopback. A client shows the token as `Authorization: Bearer TOKEN`, or
// as `?token=TOKEN` on any URL (a browser's first visit: the answer then sets an HttpOnly,
// same-site cookie, so the page's own files, requests and WebSocket need no token in their
// URLs), or with that cookie. Tokens are compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ERRORS } from './errors.js';

export const TOKEN_COOKIE = 'netshade_token';

/** Addresses only this machine can reach: no token needed there. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export async function registerTokenAuth(app: FastifyInstance, token: string): Promise<void> {
  if (token.length === 0) throw new RangeError('token must not be empty');
  const expected = digest(token);
  const matches = (given: unknown): given is string => typeof given === 'string' && timingSafeEqual(digest(given), expected);
  await app.register(fastifyCookie);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (header !== undefined && header.startsWith('Bearer ') && matches(header.slice(7))) return;
    if (matches(request.cookies[TOKEN_COOKIE])) return;
    const query = (request.query as Record<string, unknown> | undefined)?.token;
    if (matches(query)) {
      reply.setCookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
      return;
    }
    const e = HTTP_ERRORS.tokenRequired;
    // An async hook that answers returns the reply (awaiting it would wait for the answer's end).
    return reply.code(e.statusCode).header('www-authenticate', 'Bearer').send({ statusCode: e.statusCode, error: e.error, message: e.message });
  });
}
