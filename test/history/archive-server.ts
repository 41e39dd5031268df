/** A data.binance.vision stand-in on loopback: zips and `.CHECKSUM`s under `/data/…`, 404 for anything else. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

/** A file of ../shared/data (never copied into the repository). */
export function sharedData(path: string): string {
  return fileURLToPath(new URL(`../../../shared/data/${path}`, import.meta.url));
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A zip holding one CSV, as Binance publishes them (the CSV named as the zip). */
export function zipOfCsv(zipName: string, csvPath: string): Uint8Array {
  return zipSync({ [zipName.replace(/\.zip$/, '.csv')]: readFileSync(csvPath) });
}

export interface ArchiveServer {
  readonly baseUrl: string;
  /** Every path asked for, in order. */
  readonly requests: string[];
  /** Publishes `zip` at `/data/<remotePath>` with its `.CHECKSUM`: right, wrong (another file's hash), or none. */
  publish(remotePath: string, zip: Uint8Array, checksum?: 'right' | 'wrong' | 'none'): void;
  /** Answers `status` for `/data/<remotePath>` from now on. */
  answer(remotePath: string, status: number): void;
  close(): Promise<void>;
}

export async function startArchiveServer(): Promise<ArchiveServer> {
  const files = new Map<string, Uint8Array | string>();
  const requests: string[] = [];
  const statuses = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const status = statuses.get(path);
    if (status !== undefined) {
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`HTTP ${status}`);
      return;
    }
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/zip' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    publish(remotePath, zip, checksum = 'right') {
      const name = remotePath.split('/').pop() as string;
      files.set(`/data/${remotePath}`, zip);
      files.delete(`/data/${remotePath}.CHECKSUM`);
      if (checksum === 'none') return;
      const hash = checksum === 'right' ? sha256(zip) : sha256('not this file');
      files.set(`/data/${remotePath}.CHECKSUM`, `${hash}  ${name}\n`);
    },
    answer(remotePath, status) {
      statuses.set(`/data/${remotePath}`, status);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A loopback port nobody listens on: a host that refuses connections, as an offline machine's fetch fails. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
