import { formatDuration } from '../format.js';
import type { Reply, ReplyButton } from '../registry.js';
import { buttonData } from './callback-data.js';

export type InlineKeyboard = { text: string; callback_data: string }[][];

const MAX_SKIPPED_LISTED = 8;

/**
 * A reply's buttons as an inline keyboard naming its confirmation (none without an id): Confirm and Cancel on the first
 * row, the looks that leave it pending (Chart, Try it on history) on a second, so each label fits a phone's width.
 */
export function keyboardOf(reply: Reply): InlineKeyboard | undefined {
  if (reply.confirmationId === undefined || reply.buttons === undefined || reply.buttons.length === 0) return undefined;
  const id = reply.confirmationId;
  const button = (b: ReplyButton) => ({ text: b.label, callback_data: buttonData(b.action, id) });
  const decide = reply.buttons.filter((b) => b.action === 'confirm' || b.action === 'cancel');
  const look = reply.buttons.filter((b) => b.action !== 'confirm' && b.action !== 'cancel');
  return [decide, look].filter((row) => row.length > 0).map((row) => row.map(button));
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

export function whoamiText(
  chat: { readonly id: number; readonly type: string; readonly title?: string },
  userId: number | undefined,
): string {
  const where = chat.type === 'private' ? 'private chat' : `${chat.type}${chat.title === undefined ? '' : ` "${chat.title}"`}`;
  return [
    `Your user id: ${userId ?? 'unknown (sent as the group)'}`,
    `This chat id: ${chat.id} (${where})`,
    'The bot answers only chats (and, in groups, users) its owner has allowed by these ids.',
  ].join('\n');
}

/** One line naming the commands not run because they were too old when they reached the bot. */
export function skippedText(texts: readonly string[], maxAgeMs: number): string {
  const shown = texts.slice(0, MAX_SKIPPED_LISTED).map((t) => {
    const one = t.replace(/\s+/g, ' ').trim();
    return one.length > 40 ? `${one.slice(0, 39)}…` : one;
  });
  const more = texts.length > shown.length ? ` and ${texts.length - shown.length} more` : '';
  const noun = texts.length === 1 ? 'command' : 'commands';
  return (
    `⏭ Skipped ${texts.length} ${noun} older than ${formatDuration(maxAgeMs)} when they reached me: ${shown.join(', ')}${more}. ` +
    'Send again if still wanted.'
  );
}
