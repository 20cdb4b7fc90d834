// Questions about hosts: one host's traffic in the window (hover and click on the page), and
// the window's top talkers. Addresses come in as text and are only looked up, never added.
import type { FastifyInstance } from 'fastify';
import { PROTO_NAMES } from '../../shared/records.js';
import { topTalkers } from '../../shared/graph/top-talkers.js';
import type { HostDetailReply, TalkersReply } from '../../shared/protocol.js';
import type { LivePipeline } from '../pipeline/live-pipeline.js';
import { HTTP_ERRORS } from './errors.js';

const topSchema = { type: 'integer', minimum: 1, maximum: 100, default: 10 } as const;

export function registerHostRoutes(app: FastifyInstance, pipeline: LivePipeline): void {
  app.get('/api/host/:address', {
    schema: {
      params: {
        type: 'object', required: ['address'], additionalProperties: false,
        properties: { address: { type: 'string', minLength: 2, maxLength: 45, pattern: '^[0-9A-Fa-f:.]+$' } },
      },
      querystring: { type: 'object', additionalProperties: false, properties: { top: topSchema, token: { type: 'string' } } },
    },
  }, async (request, reply) => {
    const { address } = request.params as { address: string };
    const { top } = request.query as { top: number };
    const d = pipeline.hostDetail(address, top);
    if (d === null) {
      const e = HTTP_ERRORS.notFound;
      return reply.code(e.statusCode).send({ statusCode: e.statusCode, error: e.error, message: `no traffic to or from ${address} in the window` });
    }
    const name = (id: number) => pipeline.hosts.address(id);
    const port = (p: { port: number; proto: number; bytes: number; packets: number }) => ({ port: p.port, protocol: PROTO_NAMES[p.proto], bytes: p.bytes, packets: p.packets });
    const body: HostDetailReply = {
      address: name(d.host), bytesOut: d.bytesOut, bytesIn: d.bytesIn, packetsOut: d.packetsOut, packetsIn: d.packetsIn,
      peers: d.peers.map((p) => ({ address: name(p.key), bytes: p.bytes, packets: p.packets })),
      localPorts: d.localPorts.map(port), remotePorts: d.remotePorts.map(port),
      seriesStart: d.seriesStart, bytesOutPerSecond: Array.from(d.bytesOutPerSecond), bytesInPerSecond: Array.from(d.bytesInPerSecond),
    };
    return body;
  });

  app.get('/api/talkers', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { top: topSchema, token: { type: 'string' } } } },
  }, async (request) => {
    const { top } = request.query as { top: number };
    const t = topTalkers(pipeline.graph.windowEdges(), top);
    const name = (id: number) => pipeline.hosts.address(id);
    const body: TalkersReply = {
      hosts: t.hosts.map((h) => ({ address: name(h.host), bytes: h.bytes, packets: h.packets })),
      pairs: t.pairs.map((p) => ({ a: name(p.a), b: name(p.b), bytes: p.bytes, packets: p.packets })),
    };
    return body;
  });
}
