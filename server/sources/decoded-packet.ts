// What a decoder found for one packet, whether from captured bytes or from a tcpdump line:
// its endpoints, protocol and layer-4 bytes, or why it is not graphed.
import { NO_HOST, NO_PORT, Proto, type SkipReason } from '../../shared/records.js';

export class DecodedPacket {
  src = NO_HOST;
  dst = NO_HOST;
  srcPort = NO_PORT;
  dstPort = NO_PORT;
  proto: number = Proto.other;
  bytes = 0;
  /** Why the packet is not graphed (no IP endpoints), or null. */
  skip: SkipReason | null = null;
}
