/**
 * Who may do what through the chat (issue 10). Ranked: a role may do everything the roles below it may. `viewer` reads
 * and hears notifications; `trader` also runs grids, stops them and pulls the kill switch; `owner` may do everything,
 * settings included. The chat, the settings and the audit trail all speak of these, so they live here.
 */
export const ROLES = ['viewer', 'trader', 'owner'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(word: string): word is Role {
  return (ROLES as readonly string[]).includes(word);
}

/** True when someone with `have` may use what needs `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
