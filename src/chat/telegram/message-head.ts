/** The first word of a message: `/grid@telegrid_bot`, `confirm`, `yes@telegrid_bot`. */
export interface MessageHead {
  /** Lowercase, without the slash. */
  readonly name: string;
  readonly slash: boolean;
  /** The bot it names after `@`, as written. */
  readonly target?: string;
  /** Nothing follows it. */
  readonly alone: boolean;
}

export function messageHead(text: string): MessageHead | undefined {
  const trimmed = text.trim();
  const found = /^(\/?)([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?=\s|$)/.exec(trimmed);
  if (found === null) return undefined;
  const head = { name: found[2]!.toLowerCase(), slash: found[1] === '/', alone: found[0].length === trimmed.length };
  return found[3] === undefined ? head : { ...head, target: found[3] };
}

/**
 * C0/C1 control characters (but tab and newline) and bidirectional controls: a NUL or a right-to-left override
 * typed into a command must not come back in a reply, where it could garble or disguise what the bot says.
 */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function cleanText(text: string): string {
  return text.replace(UNSAFE, '');
}
