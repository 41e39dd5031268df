import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file's sha256, hex, read as a stream (a day of BTCUSDT trades is hundreds of MB). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The hash in a data.binance.vision `.CHECKSUM` (`<sha256 hex>  <file name>`, sha256sum's format), or undefined when
 * the text is not that or names another file.
 */
export function parseChecksum(text: string, zipName: string): string | undefined {
  const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(text.trim());
  if (!m || m[2] !== zipName) return undefined;
  return (m[1] as string).toLowerCase();
}
