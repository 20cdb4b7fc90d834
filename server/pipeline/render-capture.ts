// `netshade render`: a whole capture -> one still picture, drawn exactly as live frames are
// (same GraphPainter), with every edge of the capture weighted by its total bytes.
import { HostTable } from '../../shared/graph/hosts.js';
import { CaptureError, openCapture } from '../sources/open-capture.js';
import { encodePng } from '../export/png.js';
import { EdgeTotals } from '../export/edge-totals.js';
import { hostsOnEdges } from '../../shared/graph/hosts-on-edges.js';
import type { RampName } from '../../shared/colormaps/index.js';
import {
  checkGraphPictureOptions, GraphPainter, type EdgeMode, type GraphPictureInput, type HostDots, type PictureAggregate, type PictureLayout, type ShadeHow,
} from './graph-picture.js';

export interface RenderOptions {
  width: number;
  height: number;
  how: ShadeHow;
  mode: EdgeMode;
  bundle: boolean;
  cmap?: RampName;
  background?: string;
  layers?: boolean;
  layout?: PictureLayout;
  hostDots?: HostDots;
  /** The address of the host to highlight, or null. */
  highlight?: string | null;
  aggregate?: PictureAggregate;
  antialias?: boolean;
}

export interface RenderResult {
  png: Uint8Array;
  packets: number;
  hosts: number;
  edges: number;
  warning: string | null;
}

export async function renderCapture(path: string, options: RenderOptions): Promise<RenderResult> {
  const { highlight, ...style } = options;
  // Checked before the capture is read.
  checkGraphPictureOptions(style);
  const hosts = new HostTable();
  const capture = await openCapture(path, hosts);
  // The whole capture is one picture: per-edge totals, no time window to keep.
  const totals = new EdgeTotals();
  let packets = 0;
  for await (const batch of capture.batches()) {
    packets += batch.length;
    totals.add(batch);
  }
  const edges = totals.edges();
  const hostIds = hostsOnEdges(edges.source, edges.target, hosts.size);
  let highlightHost = -1;
  if (highlight !== undefined && highlight !== null) {
    highlightHost = hosts.lookupText(highlight);
    if (highlightHost < 0) throw new CaptureError(path, `--highlight ${highlight}: no such host in the capture`);
  }
  const input: GraphPictureInput = {
    hostIds, hostFamily: hosts.family, hostWords: hosts.words,
    edgeSource: edges.source, edgeTarget: edges.target, edgeWeight: edges.bytes, edgeProto: edges.proto,
    activeHosts: hostIds, highlightHost,
    ...style,
  };
  const picture = new GraphPainter().paint(input);
  const png = encodePng(picture.rgba, picture.width, picture.height);
  return { png, packets, hosts: hostIds.length, edges: edges.count, warning: capture.stats().warning };
}
