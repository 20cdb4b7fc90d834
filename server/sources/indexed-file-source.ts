// A capture file as a pipeline source that seeks through an index instead of re-reading:
// each pass from the start (until one has read the whole file) records a CaptureIndex, and a
// seek opens the file at the last indexed row before the target (in a pcapng file, with the
// section state in force there). Targets before the first entry get null, i.e. the re-read;
// where a capture's times go backwards, only the part read in time order before that is
// indexed (see CaptureIndex).
import type { HostTable } from '../../shared/graph/hosts.js';
import type { PipelineSource } from '../pipeline/live-pipeline.js';
import { CaptureIndex } from './capture-index.js';
import { openCapture } from './open-capture.js';

export interface IndexedFileSource extends PipelineSource {
  /** The index as far as a pass from the start has read (for inspection and tests). */
  readonly index: CaptureIndex;
  openBefore(hosts: HostTable, time: number): ReturnType<NonNullable<PipelineSource['openBefore']>>;
}

export function indexedFileSource(path: string, description = path): IndexedFileSource {
  if (path === '-') throw new RangeError('an indexed source needs a file: stdin cannot be re-read');
  const index = new CaptureIndex();
  return {
    description,
    index,
    // A complete index is kept: later passes (loops) need not record it again.
    open: (hosts) => openCapture(path, hosts, index.complete ? {} : { index }),
    async openBefore(hosts, time) {
      const e = index.entryBefore(time);
      if (e < 0) return null;
      return openCapture(path, hosts, { startOffset: index.offsets[e], startTime: index.times[e], startSection: index.sectionAt(e) });
    },
  };
}
