import { type LastBeat, parseFired } from './heartbeat.js';

/**
 * A bot a watchdog declared dead while it lived on (it stalled past the bound: a frozen VM, Redis out of its reach)
 * finds out with its next heartbeat, which reads the verdict back: its orders were cancelled and trading halted in Redis
 * behind its back, so it halts too, with the watchdog's reason, and the owner is told as for any halt. A verdict on a
 * previous bot (another lease token) is not this bot's: that bot restored the halt at its start. Once per verdict.
 */
export function followVerdicts(token: string, halt: (reason: string) => void): (beat: LastBeat) => void {
  let heeded: string | undefined;
  return (beat) => {
    const fired = parseFired(beat.fired);
    if (!fired || !fired.beat.startsWith(`${token}:`) || fired.beat === heeded) return;
    heeded = fired.beat;
    halt(fired.reason);
  };
}
