// Worker thread entry: parses segments of tcpdump text (whole lines) and posts each back with
// its records and the hosts new to this thread (transferred, not copied), in the order they came.
import { parentPort } from 'node:worker_threads';
import { segmentTransferList, TextSegmentParser, type TextSegmentJob } from '../sources/text-segment.js';

if (!parentPort) throw new Error('text-parse-worker must run in a worker thread');
const port = parentPort;
let parser = new TextSegmentParser();

port.on('message', (job: TextSegmentJob) => {
  if (job.fresh) parser = new TextSegmentParser();
  const segment = parser.parse(job.text);
  port.postMessage(segment, segmentTransferList(segment));
});
