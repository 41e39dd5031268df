/** Reads the bot's `/health` and `/metrics` as a monitor would, and checks the text format Prometheus parses. */

export async function getHealth(
  url: string,
): Promise<{ status: number; body: { status: string; unsafe: string[] } & Record<string, unknown> }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; unsafe: string[] } & Record<string, unknown> };
}

/** Polls `read` until `done` holds for what it answered (each poll waits for its answer; bounded by `attempts`). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 2_000): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`condition not met; last answer: ${JSON.stringify(last)}`);
}

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)(?: \\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/g;

/**
 * Prometheus's text exposition format (0.0.4), strictly: every line a HELP, a TYPE or a sample (NaN in any case, as
 * Prometheus's float parser reads it); at most one TYPE per family, given before its samples; a family's samples
 * together. Throws on the first line that breaks a rule.
 */
export function parsePrometheus(text: string): Sample[] {
  const typed = new Map<string, string>();
  const finished = new Set<string>();
  let current: string | undefined;
  const samples: Sample[] = [];
  const familyOf = (name: string) => {
    for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
      const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
      if (base !== undefined && typed.has(base)) return base;
    }
    return name;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'TYPE') {
        if (typed.has(name)) throw new Error(`a second TYPE for ${name}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`bad TYPE line: ${line}`);
        typed.set(name, rest);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const name = m[1]!;
    const family = familyOf(name);
    if (family !== current) {
      if (finished.has(family)) throw new Error(`samples of ${family} are not together`);
      if (current !== undefined) finished.add(current);
      current = family;
    }
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    let consumed = 0;
    for (const l of body.matchAll(LABEL)) {
      labels[l[1]!] = l[2]!;
      consumed += l[0].length;
    }
    if (consumed !== body.length) throw new Error(`bad labels: ${line}`);
    samples.push({ name, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of a metric's samples whose labels include `match`. */
export function total(samples: readonly Sample[], name: string, match: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
