import { z } from 'zod';
import { type Result, ok } from '../../domain/index.js';
import { type Check, optional } from '../args.js';
import { formatDuration } from '../format.js';
import { type Command, defineCommand } from '../registry.js';
import type { DeadmanView, TradingServices } from '../services.js';

const USAGE = '/deadman [off|SECONDS]';
// Named as the usage writes it, so "takes at most 1 (off|SECONDS)" reads like the usage line.
const BOUND = 'off|SECONDS';

/** "45 s", "300 s (5 min)": a bound as the owner set it, in minutes too when it is whole minutes. */
function boundText(seconds: number): string {
  return seconds % 60 === 0 && seconds >= 120 ? `${seconds} s (${seconds / 60} min)` : `${seconds} s`;
}

/**
 * The switch in two lines, for /deadman and /status: the bound and where it comes from, then the last heartbeat and
 * who is watching. A bound with no watchdog running protects nothing, so that is said plainly.
 */
export function deadmanLines(v: DeadmanView): string[] {
  const from = v.source === 'chat' ? 'set with /deadman' : 'DEADMAN_AFTER_SECONDS';
  const bound = v.afterSeconds === 0 ? `off (${from})` : `${boundText(v.afterSeconds)} without a heartbeat (${from})`;
  const beat = v.lastHeartbeatAgeMs === undefined ? 'none yet' : `${formatDuration(v.lastHeartbeatAgeMs)} ago`;
  const watcher = v.watchdog
    ? `watchdog on host ${v.watchdog.host} (pid ${v.watchdog.pid}) looked ${formatDuration(v.watchdog.seenAgoMs)} ago`
    : v.afterSeconds === 0
      ? 'no watchdog running'
      : '⚠️ no watchdog is watching: run `telegrid watchdog`, or the switch does nothing';
  return [`Dead-man's switch: ${bound}`, `Last heartbeat: ${beat} · ${watcher}`];
}

function explain(v: DeadmanView): string {
  return v.afterSeconds === 0
    ? 'Nothing happens when the bot stops: its orders rest on the exchange until it is back.'
    : `If the bot's heartbeat stops for ${boundText(v.afterSeconds)}, the watchdog cancels every bot order (tg_…), ` +
        'halts trading and tells this chat; it never places orders. Manual orders are left alone.';
}

/** Whole seconds within the range, or 'off'; every refusal says which argument, what was expected and an example. */
function boundArg(range: () => { readonly min: number; readonly max: number }) {
  return (text: string): Check<number> => {
    const word = text.toLowerCase();
    if (word === 'off' || word === '0') return { value: 0 };
    const { min, max } = range();
    const expected = `/deadman takes 'off' or whole seconds without a heartbeat from ${min} to ${max}, e.g. /deadman 300.`;
    const unit = /^(\d{1,6})(s|m|min|h)$/.exec(word);
    if (unit) {
      const seconds = Number(unit[1]) * (unit[2] === 'h' ? 3600 : unit[2] === 's' ? 1 : 60);
      return { problem: `'${text}' has a unit: /deadman takes plain seconds (${text} is /deadman ${seconds}). ${expected}` };
    }
    if (!/^\d{1,9}$/.test(text)) return { problem: `unknown argument '${text}': ${expected}` };
    const n = Number(text);
    if (n < min)
      return {
        problem:
          `${n} s is shorter than the bot's lease: a bound must be at least ${min} s (PREFIX_LEASE_SECONDS, four heartbeats), ` +
          `or one late heartbeat would set it off. ${expected}`,
      };
    if (n > max) return { problem: `${n} s is longer than a week (${max} s); use 'off' instead. ${expected}` };
    return { value: n };
  };
}

interface DeadmanResult {
  readonly set: boolean;
  readonly view: DeadmanView;
}

export function deadmanCommand(services: TradingServices): Command<number | undefined, DeadmanResult> {
  const range = () => {
    const v = services.deadman();
    return { min: v.minSeconds, max: v.maxSeconds };
  };
  return defineCommand({
    name: 'deadman',
    role: 'owner',
    summary:
      "Show or set the dead-man's switch: after SECONDS without the bot's heartbeat, `telegrid watchdog` cancels every bot " +
      "order and halts trading; 'off' turns it off.",
    usage: USAGE,
    example: '/deadman 300',
    syntax: { positional: [BOUND] },
    args: z.object({ [BOUND]: optional(BOUND, boundArg(range)) }).transform((a) => a[BOUND]),
    handler: async (seconds, ctx): Promise<Result<DeadmanResult>> => {
      if (seconds === undefined) return ok({ set: false, view: ctx.services.deadman() });
      const set = await ctx.services.setDeadman(seconds);
      return set.ok ? ok({ set: true, view: set.value }) : set;
    },
    render: ({ set, view }) => {
      const head = set ? [view.afterSeconds === 0 ? "✅ Dead-man's switch is off." : `✅ Dead-man's switch set.`] : [];
      return { text: [...head, ...deadmanLines(view), explain(view), `Change it: ${USAGE}`].join('\n') };
    },
  });
}
