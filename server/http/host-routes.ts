// Questions about hosts: one host's traffic in the window (hover and click on the page), and
// the window's top talkers. Addresses come in as text and are only looked up, never added.
import type { FastifyInstance } from 'fastify';
import { PROTO_NAMES } from '../../shared/records.js';
import { topTalkers } from '../../shared/graph/top-talkers.js';
import type { HostDetailReply, HostsReply, TalkersReply } from '../../shared/protocol.js';
import { inCidr, parseCidr } from '../../shared/graph/cidr.js';
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

  app.get('/api/hosts', {
    schema: {
      querystring: {
        type: 'object', required: ['cidr'], additionalProperties: false,
        properties: { cidr: { type: 'string', minLength: 2, maxLength: 49, pattern: '^[0-9A-Fa-f:./]+$' }, top: topSchema, token: { type: 'string' } },
      },
    },
  }, async (request, reply) => {
    const { cidr, top } = request.query as { cidr: string; top: number };
    const block = parseCidr(cidr);
    if (block === null) {
      const e = HTTP_ERRORS.badRequest;
      return reply.code(e.statusCode).send({ statusCode: e.statusCode, error: e.error, message: `"${cidr}" is not an address block (ADDRESS/PREFIX)` });
    }
    const hosts = pipeline.hosts;
    const all = topTalkers(pipeline.graph.windowEdges(), Number.MAX_SAFE_INTEGER).hosts
      .filter((h) => inCidr(block, hosts.family, hosts.words, h.host));
    const body: HostsReply = {
      cidr, total: all.length,
      hosts: all.slice(0, top).map((h) => ({ address: hosts.address(h.host), bytes: h.bytes, packets: h.packets })),
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
