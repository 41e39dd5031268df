import { CANCEL_WORDS, CONFIRM_WORDS } from '../confirmations.js';
import { messageHead } from './message-head.js';

/** What one text message is to the bot, decided as it arrives and before any queue. */
export type TextVerdict =
  /** Not for the bot: group talk, or a command for another bot. */
  | { readonly kind: 'ignore' }
  | { readonly kind: 'whoami' }
  /** From someone not on the allowlist. */
  | { readonly kind: 'refuse' }
  /** Too old when it reached the bot. */
  | { readonly kind: 'skip'; readonly ageMs: number }
  /** `kill`: the kill switch, which never waits behind another command; `urgent`: its reply jumps the chat's queue. */
  | { readonly kind: 'run'; readonly kill: boolean; readonly urgent: boolean };

export interface TextFacts {
  /** Already cleaned of control characters. */
  readonly text: string;
  readonly chatType: string;
  readonly allowed: boolean;
  /** The command whose confirmation the writer could take now, if any (asked only for confirm and cancel words). */
  readonly pending: () => string | undefined;
  readonly botUsername: string;
  /** How old the message was when it reached the bot. */
  readonly ageMs: number;
  readonly maxAgeMs: number;
}

export function judgeText(f: TextFacts): TextVerdict {
  const head = messageHead(f.text);
  // `/status@other_bot` and `confirm@other_bot` are for another bot.
  if (head?.target !== undefined && head.target.toLowerCase() !== f.botUsername.toLowerCase()) return { kind: 'ignore' };
  const isCommand = head?.slash === true;
  if (isCommand && head.name === 'whoami') return { kind: 'whoami' };
  const word = head === undefined ? '' : `${head.slash ? '/' : ''}${head.name}`;
  const confirms = CONFIRM_WORDS.has(word) && head?.alone === true;
  const answers = confirms || (CANCEL_WORDS.has(word) && (head?.alone === true || isCommand));
  const pending = answers && f.allowed ? f.pending() : undefined;
  // Group talk is not for the bot, but a bare confirm or cancel word from someone whose confirmation waits is.
  if (f.chatType !== 'private' && !isCommand && (head?.alone !== true || !answers || pending === undefined)) return { kind: 'ignore' };
  if (!f.allowed) return { kind: 'refuse' };
  // Halting is always the safe direction: the kill switch is never too old and never waits behind another command.
  const kill = (isCommand && head.name === 'kill') || (confirms && pending === 'kill');
  if (!kill && f.ageMs > f.maxAgeMs) return { kind: 'skip', ageMs: f.ageMs };
  return { kind: 'run', kill, urgent: kill || answers };
}
