// JSON schemas of the HTTP routes (fastify validates and serialises with them).
import { SKIP_REASONS } from '../../shared/records.js';

const count = { type: 'number', minimum: 0 } as const;

export const statsResponseSchema = {
  type: 'object',
  required: ['packets', 'bytes', 'hosts', 'edges', 'captureTime', 'framesSent', 'skipped'],
  properties: {
    packets: count,
    bytes: count,
    hosts: count,
    windowHosts: count,
    edges: count,
    totalEdges: count,
    captureTime: { type: ['number', 'null'] },
    windowSeconds: count,
    framesSent: count,
    framesDropped: count,
    viewers: count,
    skipped: {
      type: 'object',
      properties: Object.fromEntries(SKIP_REASONS.map((r) => [r, count])),
      additionalProperties: false,
    },
    source: { type: 'string' },
    sourceDone: { type: 'boolean' },
    warning: { type: ['string', 'null'] },
    speed: { anyOf: [{ type: 'number' }, { type: 'string', enum: ['max'] }] },
    lastFrameSeconds: { type: ['number', 'null'] },
  },
  additionalProperties: false,
} as const;
