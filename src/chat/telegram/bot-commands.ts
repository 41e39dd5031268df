/** The Bot API's rules for a command in the menu (setMyCommands). */
const NAME = /^[a-z0-9_]{1,32}$/;
const MAX_DESCRIPTION = 256;
const MAX_COMMANDS = 100;

export interface MenuCommand {
  readonly command: string;
  readonly description: string;
}

/** Commands the Telegram transport answers itself or the dispatcher takes as words, listed after the registry's. */
const TRANSPORT_COMMANDS: readonly MenuCommand[] = [
  { command: 'confirm', description: 'Confirm the pending action (or press its Confirm button).' },
  { command: 'cancel', description: 'Cancel the pending action.' },
  { command: 'whoami', description: 'Show your user id and this chat id (for the allowlist).' },
];

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_DESCRIPTION ? one : `${one.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The menu Telegram shows: every command with a valid name and its summary, cut to the API's limits. */
export function menuCommands(registry: readonly { readonly name: string; readonly summary: string }[]): MenuCommand[] {
  const menu: MenuCommand[] = [];
  const seen = new Set<string>();
  for (const c of [...registry.map((r) => ({ command: r.name, description: r.summary })), ...TRANSPORT_COMMANDS]) {
    if (!NAME.test(c.command) || seen.has(c.command)) continue;
    const description = shorten(c.description);
    if (description === '') continue;
    seen.add(c.command);
    menu.push({ command: c.command, description });
  }
  return menu.slice(0, MAX_COMMANDS);
}
