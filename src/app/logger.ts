import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Replaces every occurrence of a secret with a marker; applied to the finished line, so nested error text is covered too. */
function scrubber(secrets: readonly string[]): (line: string) => string {
  const live = secrets.filter((s) => s.length >= 4);
  if (live.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const s of live) out = out.split(s).join('[redacted]');
    return out;
  };
}

/**
 * pino with two layers against leaks: known secret-bearing fields are redacted by path, and every serialised line —
 * including error messages and stacks that quote a URL with a token — is scrubbed of the configured secret values.
 */
export function createLogger(opts: { level: string; secrets: readonly string[]; destination?: DestinationStream }): Logger {
  const scrub = scrubber(opts.secrets);
  return pino(
    {
      level: opts.level,
      redact: {
        paths: ['apiKey', 'apiSecret', 'secret', 'token', '*.apiKey', '*.apiSecret', '*.secret', '*.token', 'headers["x-mbx-apikey"]'],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
      hooks: { streamWrite: scrub },
    },
    opts.destination ?? pino.destination(2),
  );
}
