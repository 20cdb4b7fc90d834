// Host table: interns IP addresses to dense ids and orders them numerically.
// IPv4 and IPv6 share one id space; IPv4 hosts sort before IPv6 ones, each family by
// numeric value, which puts every subnet on one arc of the circular layout.

export class HostTable {
  /** 4 or 6 per id. */
  family = new Uint8Array(1024);
  /** Four 32-bit big-endian words per id (IPv4: words 0..2 are zero). */
  words = new Uint32Array(4096);
  size = 0;
  private readonly v4 = new Map<number, number>();
  private readonly v6 = new Map<string, number>();
  private readonly text: (string | undefined)[] = [];

  /** Id of an IPv4 address given as an unsigned 32-bit number. */
  internV4(addr: number): number {
    let id = this.v4.get(addr);
    if (id === undefined) {
      id = this.allocate(4);
      this.words[id * 4 + 3] = addr >>> 0;
      this.v4.set(addr, id);
    }
    return id;
  }

  /** Id of an IPv6 address given as four big-endian 32-bit words. */
  internV6(w0: number, w1: number, w2: number, w3: number): number {
    const key = `${w0 >>> 0}:${w1 >>> 0}:${w2 >>> 0}:${w3 >>> 0}`;
    let id = this.v6.get(key);
    if (id === undefined) {
      id = this.allocate(6);
      const o = id * 4;
      this.words[o] = w0; this.words[o + 1] = w1; this.words[o + 2] = w2; this.words[o + 3] = w3;
      this.v6.set(key, id);
    }
    return id;
  }

  /** Id of an address in text form (dotted IPv4 or IPv6), or -1 if it is not an address. */
  internText(s: string): number {
    const v4 = parseIPv4(s);
    if (v4 >= 0) return this.internV4(v4);
    const w = parseIPv6(s, scratchWords);
    if (!w) return -1;
    return this.internV6(scratchWords[0], scratchWords[1], scratchWords[2], scratchWords[3]);
  }

  /** Id of an address in text form if it has one (nothing is added), else -1. */
  lookupText(s: string): number {
    const v4 = parseIPv4(s);
    if (v4 >= 0) return this.v4.get(v4) ?? -1;
    if (!parseIPv6(s, scratchWords)) return -1;
    const w = scratchWords;
    return this.v6.get(`${w[0] >>> 0}:${w[1] >>> 0}:${w[2] >>> 0}:${w[3] >>> 0}`) ?? -1;
  }

  /** The address as tcpdump prints it (IPv6 compressed per RFC 5952). */
  address(id: number): string {
    if (id < 0 || id >= this.size) throw new RangeError(`host id ${id} out of range 0..${this.size - 1}`);
    let s = this.text[id];
    if (s === undefined) {
      const o = id * 4;
      s = this.family[id] === 4
        ? formatIPv4(this.words[o + 3])
        : formatIPv6(this.words[o], this.words[o + 1], this.words[o + 2], this.words[o + 3]);
      this.text[id] = s;
    }
    return s;
  }

  /** Negative, zero or positive as host a orders before, with or after host b. */
  compare(a: number, b: number): number {
    return compareHosts(a, b, this.family, this.words);
  }

  /** The given host ids sorted by address (a new array). */
  sortByAddress(ids: ArrayLike<number>): Int32Array {
    return sortHostsByAddress(Int32Array.from(ids), this.family, this.words);
  }

  private allocate(family: 4 | 6): number {
    const id = this.size++;
    if (id >= this.family.length) {
      const f = new Uint8Array(this.family.length * 2); f.set(this.family); this.family = f;
      const w = new Uint32Array(this.words.length * 2); w.set(this.words); this.words = w;
    }
    this.family[id] = family;
    return id;
  }
}

const scratchWords = new Uint32Array(4);

/** Address order over a host table's columns (family 4 before 6, then numeric value). */
export function compareHosts(a: number, b: number, family: Uint8Array, words: Uint32Array): number {
  const fa = family[a], fb = family[b];
  if (fa !== fb) return fa - fb;
  for (let k = 0; k < 4; k++) {
    const d = words[a * 4 + k] - words[b * 4 + k];
    if (d !== 0) return d;
  }
  return 0;
}

/** Sorts host ids in place by address, given a host table's `family` and `words` columns. */
export function sortHostsByAddress(ids: Int32Array, family: Uint8Array, words: Uint32Array): Int32Array {
  return ids.sort((a, b) => compareHosts(a, b, family, words));
}

/** Dotted-quad IPv4 to an unsigned number, or -1 when the text is not exactly that. */
export function parseIPv4(s: string, start = 0, end = s.length): number {
  let value = 0, part = 0, digits = 0, dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part; part = 0; digits = 0; dots++;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** IPv6 text (with optional embedded IPv4 tail) into out[0..3]; false when malformed. */
export function parseIPv6(s: string, out: Uint32Array, start = 0, end = s.length): boolean {
  const groups = new Array<number>();
  let gap = -1;
  let i = start;
  if (end - start < 2) return false;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0; i += 2;
    if (i === end) { out.fill(0); return true; }
  }
  while (i < end) {
    let j = i, v = 0;
    while (j < end && s.charCodeAt(j) !== 58) j++;
    const part = j - i;
    if (part === 0) return false;
    if (j === end && s.indexOf('.', i) >= 0 && s.indexOf('.', i) < end) {
      const v4 = parseIPv4(s, i, end);
      if (v4 < 0) return false;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      i = end;
      break;
    }
    if (part > 4) return false;
    for (let k = i; k < j; k++) {
      const c = s.charCodeAt(k);
      const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (h < 0) return false;
      v = v * 16 + h;
    }
    groups.push(v);
    if (j === end) { i = end; break; }
    if (j + 1 < end && s.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return false;
      gap = groups.length; i = j + 2;
      if (i === end) break;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return false;
  const full = new Array<number>(8).fill(0);
  if (gap < 0) for (let k = 0; k < 8; k++) full[k] = groups[k];
  else {
    for (let k = 0; k < gap; k++) full[k] = groups[k];
    const tail = groups.length - gap;
    for (let k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
  }
  for (let k = 0; k < 4; k++) out[k] = (full[2 * k] * 65536 + full[2 * k + 1]) >>> 0;
  return true;
}

export function formatIPv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** RFC 5952 text, as inet_ntop (and so tcpdump) prints it, including ::ffff:a.b.c.d. */
export function formatIPv6(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  // Longest run of >= 2 zero groups, first one on ties.
  let bestStart = -1, bestLen = 0;
  for (let k = 0; k < 8;) {
    if (g[k] !== 0) { k++; continue; }
    let e = k;
    while (e < 8 && g[e] === 0) e++;
    if (e - k > bestLen && e - k >= 2) { bestStart = k; bestLen = e - k; }
    k = e;
  }
  const embedV4 = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff));
  if (embedV4) {
    const prefix = bestLen === 6 ? '::' : '::ffff:';
    return prefix + formatIPv4(w3 >>> 0);
  }
  const parts: string[] = [];
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) { parts.push(k === 0 ? ':' : ''); k += bestLen - 1; if (k === 7) parts.push(''); continue; }
    parts.push(g[k].toString(16));
  }
  return parts.join(':');
}
