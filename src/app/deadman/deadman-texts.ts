import { formatDuration } from '../../chat/index.js';
import type { AlertOutcome } from './chat-alert.js';
import type { CancelReport } from './dead-bot-cancels.js';
import type { Heartbeat } from './heartbeat.js';

/** Ids listed in one alert, so it stays one Telegram message. */
const LISTED = 20;

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, LISTED).map((i) => `  ${line(i)}`);
  if (items.length > LISTED) lines.push(`  … and ${items.length - LISTED} more`);
  return lines;
}

/** "bot on host h, pid 123 (paper on http://…)": who went silent. */
export function botOf(beat: Heartbeat): string {
  return `the bot on host ${beat.host}, pid ${beat.pid} (${beat.mode} on ${beat.exchange})`;
}

/** Why trading is halted, as a restarted bot's /status will give it. */
export function haltReason(beat: Heartbeat, boundSeconds: number): string {
  return `dead-man's switch: no heartbeat from ${botOf(beat)} for ${boundSeconds} s (last ${utc(beat.at)})`;
}

export interface DeathFacts {
  readonly beat: Heartbeat;
  readonly ageMs: number;
  readonly boundSeconds: number;
  readonly boundFrom: 'setting' | 'chat';
  readonly wasHalted: boolean;
  readonly cancels: CancelReport;
  readonly watchdog: { readonly host: string; readonly pid: number };
}

/** The alert the owner reads when the switch fires: what was seen, what was done, what is left and what to do. */
export function deathText(f: DeathFacts): string {
  const c = f.cancels;
  const from = f.boundFrom === 'chat' ? 'set with /deadman' : 'DEADMAN_AFTER_SECONDS';
  const stopped = f.beat.stoppedAt !== undefined ? ` It had stopped cleanly at ${utc(f.beat.stoppedAt)} and was not started again.` : '';
  const lines = [
    `🛑 Dead-man's switch: no heartbeat from ${botOf(f.beat)} for ${formatDuration(f.ageMs)} ` +
      `(bound ${f.boundSeconds} s, ${from}); last heartbeat ${utc(f.beat.at)}.${stopped}`,
    f.wasHalted ? 'Trading was already HALTED and stays so.' : 'Trading is now HALTED: a bot started again stays halted until /resume.',
    `Bot orders cancelled: ${c.canceled.length}`,
    ...listed(c.canceled, (o) => `${o.clientOrderId} ${o.symbol}`),
  ];
  if (c.left.length > 0) {
    lines.push(`⚠️ Bot orders still open (the exchange refused or did not answer): ${c.left.length}; cancel them on the exchange.`);
    lines.push(...listed(c.left, (o) => `${o.clientOrderId} ${o.symbol}: ${o.reason}`));
  }
  if (c.unlisted.length > 0) {
    lines.push(`⚠️ Symbols whose open orders could not be read: ${c.unlisted.length}; check them on the exchange.`);
    lines.push(...listed(c.unlisted, (u) => `${u.symbol}: ${u.reason}`));
  }
  if (c.manualCanceled.length > 0) {
    lines.push(`⚠️ Orders not the bot's, placed during the sweep and cancelled with it: ${c.manualCanceled.length}`);
    lines.push(...listed(c.manualCanceled, (o) => `${o.clientOrderId} ${o.symbol}`));
  }
  lines.push(`Orders not the bot's, left alone: ${c.manualLeft}. No order was placed.`);
  lines.push(`— telegrid watchdog on host ${f.watchdog.host}, pid ${f.watchdog.pid}`);
  return lines.join('\n');
}

/** One line for the watchdog's own output about an alert that did not reach every chat. */
export function alertProblems(outcome: AlertOutcome): string | undefined {
  if (outcome.failed.length === 0) return undefined;
  return `the alert did not reach ${outcome.failed.map((f) => `chat ${f.chatId} (${f.reason})`).join(', ')}`;
}
