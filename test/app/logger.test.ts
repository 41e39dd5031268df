import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  const secret = 'S3cr3tBinanceApiSecretValue';
  const token = '123456:AAbbCCddEEffGGhhIIjjKKll';

  it('never writes a secret, whether in a field, a message or an error', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info', secrets: [secret, token], destination: stream });
    log.info({ apiSecret: secret, nested: { token } }, 'starting');
    log.error({ err: new Error(`request to https://api.telegram.org/bot${token}/getMe failed`) }, 'telegram down');
    log.warn(`signed with ${secret}`);
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).not.toContain(token);
    expect(out).toContain('[redacted]');
    expect(out).toContain('telegram down');
  });
});
