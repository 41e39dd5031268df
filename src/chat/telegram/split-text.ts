/** Telegram refuses a message text longer than this (counted in UTF-16 units, as the Bot API counts). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Cuts one over-long line at a space when there is one late enough, never inside a surrogate pair. */
function cutLine(line: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let at = rest.lastIndexOf(' ', limit);
    if (at < limit / 2) at = limit;
    const code = rest.charCodeAt(at - 1);
    if (at === limit && code >= 0xd800 && code <= 0xdbff) at -= 1;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  parts.push(rest);
  return parts;
}

function pack(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n').flatMap((l) => cutLine(l, limit))) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length <= limit) {
      current = joined;
      continue;
    }
    chunks.push(current);
    current = line;
  }
  chunks.push(current);
  // Telegram refuses an empty or blank text, and blank lines at a cut only read as a gap.
  return chunks.map((c) => c.replace(/^\s*\n/, '').replace(/\n\s*$/, '')).filter((c) => c.trim() !== '');
}

/**
 * Splits a plain-text reply into messages Telegram accepts, at line boundaries (a single longer line is cut at a
 * space). `lastLimit` keeps room in the last part, the one that carries buttons, for the outcome a tap appends.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT, lastLimit = limit): string[] {
  const parts = pack(text, limit);
  const last = parts.pop();
  if (last === undefined) return [];
  return [...parts, ...(last.length <= lastLimit ? [last] : pack(last, lastLimit))];
}

/** Room kept in the last part of a reply with buttons for the outcome line a tap appends to it. */
export const OUTCOME_ROOM = 300;

/** A reply's messages: its last part, the one carrying buttons, keeps room for the outcome line. */
export function replyParts(text: string, withButtons: boolean): string[] {
  return splitText(text, TELEGRAM_TEXT_LIMIT, withButtons ? TELEGRAM_TEXT_LIMIT - OUTCOME_ROOM : TELEGRAM_TEXT_LIMIT);
}
