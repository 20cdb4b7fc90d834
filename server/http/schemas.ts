// JSON schemas of the HTTP routes (fastify validates and serialises with them).
import { SKIP_REASONS } from '../../shared/records.js';

const count = { type: 'number', minimum: 0 } as const;
const speedSchema = { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', enum: ['max'] }] } as const;

/**
 * Body of POST /api/replay: one ReplayCommand (shared/protocol.ts). One flat object: fastify's
 * `removeAdditional` would strip fields while trying the branches of a oneOf.
 */
export const replayCommandSchema = {
  type: 'object',
  required: ['action'],
  properties: {
    action: { type: 'string', enum: ['pause', 'resume', 'speed', 'seek', 'loop'] },
    speed: speedSchema,
    time: { type: 'number' },
    loop: { type: 'boolean' },
  },
  additionalProperties: false,
  allOf: [
    { if: { properties: { action: { const: 'speed' } } }, then: { required: ['speed'] } },
    { if: { properties: { action: { const: 'seek' } } }, then: { required: ['time'] } },
    { if: { properties: { action: { const: 'loop' } } }, then: { required: ['loop'] } },
  ],
} as const;

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
    speed: speedSchema,
    replay: {
      type: 'object',
      required: ['paused', 'speed', 'loop', 'start', 'end', 'seekable'],
      properties: {
        paused: { type: 'boolean' }, speed: speedSchema, loop: { type: 'boolean' },
        start: { type: ['number', 'null'] }, end: { type: ['number', 'null'] }, seekable: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    capture: {
      type: ['object', 'null'],
      properties: { received: count, dropped: { type: ['number', 'null'] }, ifDropped: { type: ['number', 'null'] } },
      required: ['received', 'dropped', 'ifDropped'],
      additionalProperties: false,
    },
    lastFrameSeconds: { type: ['number', 'null'] },
    views: count,
    eventLoopMaxMs: count,
    picture: {
      type: 'object',
      required: ['how', 'cmap', 'layers', 'layout', 'newEdges', 'highlight'],
      properties: {
        how: { type: 'string' }, cmap: { type: 'string' }, layers: { type: 'boolean' }, layout: { type: 'string' },
        newEdges: { type: 'boolean' }, highlight: { type: ['string', 'null'] },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
