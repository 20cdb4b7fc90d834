// A pixel mask: one bit per pixel of a W x H image, pixel p (row-major, p = y * W + x) being bit
// p & 31 of word p >> 5. The renderer marks the pixels it draws on the background with it, so
// that the frame encoder reads those and skips the rest.

/** Words of the pixel mask of a W x H image. */
export function pixelMaskWords(width: number, height: number): number {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`height must be a positive integer, got ${height}`);
  return Math.ceil((width * height) / 32);
}
