// The hosts an edge list touches: the red dots of a picture are these hosts.

/** Ids, ascending, of the hosts at either end of some edge; host ids are below `hostCount`. */
export function hostsOnEdges(source: Int32Array, target: Int32Array, hostCount: number): Int32Array {
  const on = new Uint8Array(hostCount);
  let n = 0;
  for (let e = 0; e < source.length; e++) {
    if (!on[source[e]]) { on[source[e]] = 1; n++; }
    if (!on[target[e]]) { on[target[e]] = 1; n++; }
  }
  const ids = new Int32Array(n);
  for (let h = 0, k = 0; h < hostCount; h++) if (on[h]) ids[k++] = h;
  return ids;
}
