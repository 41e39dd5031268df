/**
 * Seeded hostile Telegram traffic for the "never deaf, never tricked" test and soak: random unicode, huge and malformed
 * arguments, edited messages, forged and replayed button data, strangers in private chats and in an allowed group, and
 * bursts. fast-check draws it from a seed, so a failing run is replayed exactly by its seed.
 *
 * The allowed user never confirms anything and never sends `/kill now`, so a single order on the exchange, or a halt,
 * is something the bot did unasked.
 */
import fc from 'fast-check';

/** Who writes: the allowed owner (in their private chat or the allowed group), or a stranger (private or in the group). */
export type Who = 'owner' | 'ownerInGroup' | 'stranger' | 'strangerInGroup';

export type HostileStep =
  | { readonly kind: 'text'; readonly who: Who; readonly text: string }
  | { readonly kind: 'edit'; readonly who: Who; readonly text: string }
  /** Button data made up by the sender, on the latest bot message of the chat (or a message id that never existed). */
  | { readonly kind: 'forgedTap'; readonly who: Who; readonly data: string; readonly onMissingMessage: boolean }
  /** A stranger presses a real button the bot sent to the owner: replayed data, from the wrong person. */
  | { readonly kind: 'replayedTap'; readonly who: 'stranger' | 'strangerInGroup' }
  | { readonly kind: 'burst'; readonly who: 'stranger' | 'strangerInGroup'; readonly texts: readonly string[] };

const COMMANDS = ['grid', 'stop', 'grids', 'positions', 'orders', 'pnl', 'status', 'kill', 'resume', 'help', 'whoami', 'balance', 'cancel'];
const WORDS = ['BTCUSDT', 'ETHUSDT', 'btcusdt', '10', '0.5', '-1', '0', '1e9', 'NaN', '∞', '0.0000000001', 'now', 'flatten', 'G1', 'all'];
const CONTROL = ['\u0000', '\u202E', '\u2066', '\u200F', '\uFEFF', '\r', '\t', '\u0007', '\uD800'];
const BOTS = ['', '@telegrid_test_bot', '@OtherBot', '@'];

/** Words that would confirm a pending action, or a kill that needs no confirmation: only strangers may send these. */
const ASKING = /^\/?(confirm|yes)\b|^\/kill(@\S*)?\s+now\b/i;

const unicode = fc.string({ unit: 'binary', maxLength: 120 });
const word = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...CONTROL), fc.string({ unit: 'grapheme', maxLength: 12 }));
const commandLike = fc
  .tuple(fc.constantFrom(...COMMANDS, 'confirm', 'yes', 'kill now'), fc.constantFrom(...BOTS), fc.array(word, { maxLength: 8 }))
  .map(([name, bot, args]) => {
    const [head, ...rest] = name.split(' ');
    return [`/${head}${bot}`, ...rest, ...args].join(' ');
  });
const huge = fc
  .tuple(fc.constantFrom('/grid BTCUSDT ', '/stop ', '', '/kill '), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }))
  .map(([head, chunk]) => (head + chunk.repeat(Math.ceil(4096 / chunk.length))).slice(0, 4096));
const plainWord = fc.constantFrom('confirm', 'yes', 'cancel', 'no', 'hello', 'confirm@OtherBot', 'yes please');
const anyText = fc.oneof(
  { weight: 5, arbitrary: commandLike },
  { weight: 2, arbitrary: unicode },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: plainWord },
);
const ownerText = anyText.filter((t) => !ASKING.test(t.trim()) && t.trim() !== '');
const strangerText = anyText.filter((t) => t.trim() !== '');

const owner = fc.constantFrom<Who>('owner', 'ownerInGroup');
const stranger = fc.constantFrom<'stranger' | 'strangerInGroup'>('stranger', 'strangerInGroup');
const forgedData = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'), minLength: 1, maxLength: 20 }).map((id) => `c:${id}`),
  fc.constantFrom('c:', 'x:', 'c:../../', 'c:' + 'a'.repeat(70)),
);

const step: fc.Arbitrary<HostileStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('text' as const), who: owner, text: ownerText }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('text' as const), who: stranger, text: strangerText }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), who: owner, text: ownerText }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), who: stranger, text: strangerText }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('forgedTap' as const),
      who: fc.oneof(owner, stranger),
      data: forgedData,
      onMissingMessage: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replayedTap' as const), who: stranger }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      who: stranger,
      texts: fc.array(strangerText, { minLength: 5, maxLength: 30 }),
    }),
  },
);

/** `count` steps drawn from `seed`: the same seed gives the same traffic. */
function hostileSteps(seed: number, count: number): HostileStep[] {
  return fc.sample(step, { seed, numRuns: count });
}

/** The shortest run of seeded steps that makes at least `updates` updates (the soak's 10,000). */
export function hostileStepsFor(seed: number, updates: number): HostileStep[] {
  const steps = hostileSteps(seed, updates);
  let made = 0;
  const cut = steps.findIndex((s) => (made += s.kind === 'burst' ? s.texts.length : 1) >= updates);
  return steps.slice(0, cut + 1);
}

/** How many updates the steps make (a burst is many). */
export function updateCount(steps: readonly HostileStep[]): number {
  return steps.reduce((n, s) => n + (s.kind === 'burst' ? s.texts.length : 1), 0);
}
