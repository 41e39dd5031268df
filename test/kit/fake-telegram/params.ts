/** Reading a Bot API request's parameters: query string, JSON, form and multipart bodies. */
import type { IncomingMessage } from 'node:http';
import type { Params, UploadedFile } from './types.js';

/** Uploads in tests are tiny; this only stops a runaway client from filling memory. */
const MAX_BODY = 8 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The body's parameters, or a string saying why it could not be read (Telegram answers 400 then). */
export function parseBody(contentType: string | undefined, body: Buffer): Params | string {
  if (body.length === 0) return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Params) : {};
    } catch {
      return "can't parse JSON object";
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return fromSearch(new URLSearchParams(body.toString('utf8')));
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    return boundary === undefined ? 'multipart boundary is missing' : parseMultipart(body, boundary);
  }
  return {};
}

export function fromSearch(search: URLSearchParams): Params {
  const params: Params = {};
  for (const [key, value] of search) params[key] = value;
  return params;
}

/**
 * Just enough multipart for sendPhoto: text fields become strings, file parts become `UploadedFile`s. grammY sends a
 * file field as `attach://<name>` and the bytes in a part called `<name>`, so that reference is resolved too.
 */
function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const files: Record<string, UploadedFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next one
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = headerValue(/[;\s]name=(?:"([^"]*)"|([^;\r\n]*))/i, headers);
      const filename = headerValue(/filename=(?:"([^"]*)"|([^;\r\n]*))/i, headers);
      if (name !== undefined && filename !== undefined) {
        const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
        files[name] = { filename, contentType, size: content.length, bytes: new Uint8Array(content) };
      } else if (name !== undefined) params[name] = content.toString('utf8');
    }
    at = next;
  }
  const attached = new Set<string>();
  for (const [key, value] of Object.entries(params)) {
    const name = typeof value === 'string' && value.startsWith('attach://') ? value.slice(9) : undefined;
    if (name === undefined || files[name] === undefined) continue;
    params[key] = files[name];
    attached.add(name);
  }
  for (const [name, file] of Object.entries(files)) if (!attached.has(name) && !(name in params)) params[name] = file;
  return params;
}

/** grammY writes `filename=` unquoted (`content-disposition:form-data;name="x";filename=a.jpg`); browsers quote it. */
function headerValue(pattern: RegExp, headers: string): string | undefined {
  const found = pattern.exec(headers);
  return found === null ? undefined : (found[1] ?? found[2]);
}

/** An integer parameter, whether it came as a JSON number or as form text. */
export function int(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function str(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function bool(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A structured parameter: form and multipart clients send objects and arrays as JSON text. */
export function json(params: Params, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
