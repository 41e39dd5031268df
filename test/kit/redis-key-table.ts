/**
 * docs/OPERATIONS.md's table of Redis keys, rendered from the one key table (src/domain/redis-keys.ts) so the doc cannot
 * drift from what the bot writes: test/domain/redis-keys.test.ts fails when the doc's block differs from this rendering.
 * After changing the table, rewrite the block with `npx tsx test/kit/redis-key-table.ts --write`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REDIS_KEYS, REDIS_KEY_GROUPS, REDIS_KEY_PARTS, type RedisKeyFamily } from '../../src/domain/index.js';

const OPERATIONS_MD = fileURLToPath(new URL('../../docs/OPERATIONS.md', import.meta.url));
const BEGIN =
  '<!-- redis-keys: generated from src/domain/redis-keys.ts by test/kit/redis-key-table.ts; edit the module, then run it with --write -->';
const END = '<!-- redis-keys: end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;

/** The block between BEGIN and END, markers included. */
export function renderRedisKeyTable(): string {
  const families = Object.values(REDIS_KEYS) as readonly RedisKeyFamily[];
  const lines = [
    BEGIN,
    row(['keys', 'what they hold', 'if lost']),
    '|---|---|---|',
    ...Object.values(REDIS_KEY_GROUPS).map((g) => row([`\`<prefix>:${g.glob}\``, g.holds, g.ifLost])),
    '',
    'Every key, one row per family (the full-run test checks that the bot writes no other):',
    '',
    row(['key', 'type', 'written by', 'what it holds', 'when']),
    '|---|---|---|---|---|',
    ...families.map((f) => row([`\`<prefix>:${f.template}\``, f.type, f.writer, f.holds, f.when])),
    '',
    ...Object.entries(REDIS_KEY_PARTS).map(([part, means]) => `- \`<${part}>\`: ${means}`),
    END,
  ];
  return lines.join('\n');
}

/** The block as docs/OPERATIONS.md has it now, or undefined when its markers are missing. */
export function documentedRedisKeyTable(text = readFileSync(OPERATIONS_MD, 'utf8')): string | undefined {
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  return from < 0 || to < from ? undefined : text.slice(from, to + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const text = readFileSync(OPERATIONS_MD, 'utf8');
  const current = documentedRedisKeyTable(text);
  if (current === undefined) throw new Error(`docs/OPERATIONS.md has no ${BEGIN} … ${END} block to replace`);
  writeFileSync(
    OPERATIONS_MD,
    text.replace(current, () => renderRedisKeyTable()),
  );
  process.stdout.write('docs/OPERATIONS.md: Redis key table rewritten\n');
}
