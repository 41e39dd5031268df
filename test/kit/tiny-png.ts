/** A small real PNG for tests that send pictures, rendered the way charts are (resvg), without the chart code. */
import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';

/** A `width`×`height` PNG of two coloured bars; `seed` changes a colour, so two pictures differ byte for byte. */
export function tinyPng(width = 64, height = 48, seed = 0): Uint8Array {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    `<rect x="8" y="8" width="16" height="${height - 16}" fill="#2b6cb0"/>` +
    `<rect x="32" y="16" width="16" height="${height - 24}" fill="#${(0xdd6b20 + seed).toString(16).padStart(6, '0')}"/>` +
    '</svg>';
  return new Uint8Array(new Resvg(svg).render().asPng());
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
