import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type Result, ok } from '../domain/index.js';
import { type ArchiveFile, type ArchiveRequest, archiveFiles, checkArchiveRequest } from './archive-layout.js';
import { parseChecksum, sha256OfFile } from './checksum.js';
import { type HistoryFailure, historyFailure } from './history-failure.js';
import { unreachableCode } from './unreachable.js';

export interface FetchOptions {
  /** The archive host, e.g. https://data.binance.vision (its files are under `/data/`). */
  readonly baseUrl: string;
  /** The local folder the archives are kept in, in the host's layout. */
  readonly historyDir: string;
  /** Default: Node's global fetch. */
  readonly fetch?: typeof fetch;
  /** Archives fetched at once; default 4 (a month of trades is 31 files of up to hundreds of MB). */
  readonly concurrency?: number;
}

/** An archive not kept, and why. */
interface RefusedArchive extends ArchiveFile {
  readonly reason: string;
}

export interface FetchReport {
  /** Fetched and verified against their `.CHECKSUM`. */
  readonly downloaded: readonly ArchiveFile[];
  /** Already here, and their bytes still match the `.CHECKSUM` kept beside them: not fetched again. */
  readonly skipped: readonly ArchiveFile[];
  /** The host has no such archive (404): a day Binance did not publish, or not yet (a day's file comes the day after). */
  readonly missing: readonly ArchiveFile[];
  /** Fetched, but the bytes do not match the `.CHECKSUM` (or there is none): deleted, nothing kept. */
  readonly refused: readonly RefusedArchive[];
  /** The host answered something else (a 5xx, a cut transfer): nothing kept; a new run tries again. */
  readonly failed: readonly RefusedArchive[];
}

type Outcome =
  | { readonly kind: 'downloaded' | 'skipped' | 'missing' }
  | { readonly kind: 'refused' | 'failed'; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly code: string };

const CHECKSUM = '.CHECKSUM';

/**
 * Downloads the request's archives from a data.binance.vision-shaped host into the history folder: each zip is
 * verified against its `.CHECKSUM` before it is kept (both are kept, as published, so a later run and a loader can
 * check it without the network), written to a temporary file and renamed into place, so a file at its final name is
 * always whole and verified. A host that cannot be reached at all is a failure, said in one sentence.
 */
export async function fetchArchives(request: ArchiveRequest, options: FetchOptions): Promise<Result<FetchReport, HistoryFailure>> {
  const checked = checkArchiveRequest(request);
  if (!checked.ok) return checked;
  const files = archiveFiles(request, options.historyDir);
  const base = options.baseUrl.replace(/\/+$/, '');
  const get = options.fetch ?? fetch;
  const outcomes: Outcome[] = [];
  let next = 0;
  let unreachable: string | undefined;
  const worker = async (): Promise<void> => {
    while (unreachable === undefined && next < files.length) {
      const at = next++;
      const file = files[at] as ArchiveFile;
      const outcome = await fetchOne(file, `${base}/data/${file.remotePath}`, get);
      outcomes[at] = outcome;
      if (outcome.kind === 'unreachable') unreachable ??= outcome.code;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, files.length)) }, worker));

  const report = { downloaded: [] as ArchiveFile[], skipped: [] as ArchiveFile[], missing: [] as ArchiveFile[] };
  const refused: RefusedArchive[] = [];
  const failed: RefusedArchive[] = [];
  files.forEach((file, i) => {
    const o = outcomes[i];
    if (o === undefined || o.kind === 'unreachable') return;
    if (o.kind === 'refused') refused.push({ ...file, reason: o.reason });
    else if (o.kind === 'failed') failed.push({ ...file, reason: o.reason });
    else report[o.kind].push(file);
  });
  if (unreachable !== undefined) {
    const kept = report.downloaded.length;
    const host = new URL(base).host;
    return historyFailure(
      'HISTORY_UNREACHABLE',
      `the archive host ${host} cannot be reached (${unreachable}): ` +
        (kept === 0
          ? 'nothing was downloaded.'
          : `${kept} of ${files.length} archives were downloaded and verified before it went; a new run skips them.`),
    );
  }
  return ok({ ...report, refused, failed });
}

async function fetchOne(file: ArchiveFile, url: string, get: typeof fetch): Promise<Outcome> {
  if (await isKept(file.localPath)) return { kind: 'skipped' };
  const temp = `${file.localPath}.${process.pid}-${randomUUID().slice(0, 8)}.part`;
  try {
    const zip = await get(url);
    if (zip.status === 404) {
      await zip.body?.cancel();
      return { kind: 'missing' };
    }
    if (!zip.ok || !zip.body) {
      await zip.body?.cancel();
      return { kind: 'failed', reason: `the host answered HTTP ${zip.status}` };
    }
    await mkdir(dirname(file.localPath), { recursive: true });
    const actual = await saveHashed(zip.body, temp);

    const sum = await get(`${url}${CHECKSUM}`);
    if (!sum.ok) {
      await sum.body?.cancel();
      return sum.status === 404
        ? { kind: 'refused', reason: 'no .CHECKSUM is published for it, so it cannot be verified' }
        : { kind: 'failed', reason: `its .CHECKSUM answered HTTP ${sum.status}` };
    }
    const sumText = await sum.text();
    const expected = parseChecksum(sumText, basename(file.localPath));
    if (expected === undefined) return { kind: 'refused', reason: `its .CHECKSUM is not "<sha256>  ${basename(file.localPath)}"` };
    if (expected !== actual)
      return { kind: 'refused', reason: `checksum mismatch: the .CHECKSUM says ${expected}, the download hashes to ${actual}` };

    // The checksum first: a zip at its final name always has its checksum beside it.
    await writeAtomically(`${file.localPath}${CHECKSUM}`, sumText);
    await rename(temp, file.localPath);
    return { kind: 'downloaded' };
  } catch (error) {
    const code = unreachableCode(error);
    if (code !== undefined) return { kind: 'unreachable', code };
    return { kind: 'failed', reason: describeError(error) };
  } finally {
    await rm(temp, { force: true });
  }
}

/** fetch's own message is "fetch failed" or "terminated"; the socket's reason is in its cause. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause === undefined ? message : `${message}: ${cause}`;
}

/** Streams a body to `path`, hashing it on the way; the sha256, hex. */
async function saveHashed(body: ReadableStream<Uint8Array>, path: string): Promise<string> {
  const hash = createHash('sha256');
  const out = await open(path, 'w');
  try {
    for await (const chunk of body) {
      hash.update(chunk);
      await out.write(chunk);
    }
  } finally {
    await out.close();
  }
  return hash.digest('hex');
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}-${randomUUID().slice(0, 8)}.part`;
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

/** The zip is here, with its `.CHECKSUM`, and its bytes match it. */
async function isKept(zipPath: string): Promise<boolean> {
  try {
    const expected = parseChecksum(await readFile(`${zipPath}${CHECKSUM}`, 'utf8'), basename(zipPath));
    return expected !== undefined && (await sha256OfFile(zipPath)) === expected;
  } catch {
    return false;
  }
}
