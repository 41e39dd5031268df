/**
 * What counts as a secret in a command, for the audit trail (and the reason each rule exists):
 * - any value the bot itself holds as a secret (its API key and secret, bot token, webhook secret), wherever it appears;
 * - a Telegram bot token (`123456:ABC…`, 30+ characters after the colon), anyone's;
 * - a value of 6 or more characters after a secret-sounding name: `key=…`, `secret:…`, `token=…`, `password=…`,
 *   `apikey=…`, `signature=…` (shorter ones are placeholders like `key=value`, or flags);
 * - any unbroken run of 37 or more letters, digits, `+/=_-` holding both a letter and a digit: Binance API keys and
 *   secrets are 64 such characters, while nothing a command legitimately takes is that long (a client order id has at
 *   most 36 characters, a symbol 20).
 * Each becomes `[secret]`. Shorter or unmarked secrets cannot be told from ordinary words; the README says so.
 */
const SECRET_MARK = '[secret]';

const BOT_TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{30,}/g;
const NAMED = /\b([A-Za-z_-]*(?:secret|token|key|passw(?:or)?d|pass|pwd|signature|auth)[A-Za-z_-]*)(\s*[=:]\s*)(\S{6,})/gi;
const LONG_RUN = /[A-Za-z0-9+/=_-]{37,}/g;

export function scrubText(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) if (secret.length >= 4) out = out.split(secret).join(SECRET_MARK);
  return out
    .replace(BOT_TOKEN, SECRET_MARK)
    .replace(NAMED, (_all, name: string, sep: string, value: string) =>
      value === SECRET_MARK ? `${name}${sep}${value}` : `${name}${sep}${SECRET_MARK}`,
    )
    .replace(LONG_RUN, (run) => (/[A-Za-z]/.test(run) && /\d/.test(run) ? SECRET_MARK : run));
}

/** Every string inside `value` scrubbed; bigints (exact money) become decimal strings through `decimal`. */
export function scrubValue(value: unknown, known: readonly string[], decimal: (v: bigint) => string): unknown {
  if (typeof value === 'string') return scrubText(value, known);
  if (typeof value === 'bigint') return decimal(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, known, decimal));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, known, decimal);
    return out;
  }
  return value;
}
