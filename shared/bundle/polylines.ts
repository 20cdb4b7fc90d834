// Polylines stored back to back in one buffer, the form the bundling rounds read and write.
//
// During the rounds, coordinates are fixed point in grid units: FIXED_ONE per grid cell, so
// [0, accuracy] becomes [0, accuracy * FIXED_ONE] and a vertex's cell is (x >> FIXED_BITS,
// y >> FIXED_BITS): integer shifts instead of float-to-int conversions on the advection's
// critical path (measured: about 30% less advection time than float64 vertices with a
// float32 field). 16 fraction bits resolve 1/65536 of a cell (3e-8 of the unit square at
// accuracy 500), far below anything the bundling or a picture can show; endpoints are put
// back exactly at the end. accuracy <= 4096 keeps every coordinate, and the sum of two,
// below 2^31.

export const FIXED_BITS = 16;
export const FIXED_ONE = 1 << FIXED_BITS;

/** Polyline e spans vertices offsets[e] .. offsets[e+1] of xy (x,y interleaved); xy may be longer than used. */
export interface PolylineStore {
  xy: Int32Array;
  offsets: Uint32Array;
}
