import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/app/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const settingsTable = readme.slice(readme.indexOf('## Settings'), readme.indexOf('\n## ', readme.indexOf('## Settings') + 1));
const rows = new Set([...settingsTable.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

describe("README's settings table", () => {
  it('lists every setting the schema accepts, and nothing it does not', () => {
    expect(SETTING_NAMES.filter((name) => !rows.has(name))).toEqual([]);
    expect([...rows].filter((name) => !SETTING_NAMES.includes(name!))).toEqual([]);
  });
});
