import type { Side } from './order.js';

/** Marks the bot's own orders on the exchange, so reconciliation and /kill touch nothing else. */
const BOT_PREFIX = 'tg_';

/** Binance's server-side rule for newClientOrderId. */
const LEGAL = /^[A-Za-z0-9_-]{1,36}$/;

export function isLegalClientOrderId(id: string): boolean {
  return LEGAL.test(id);
}

export function isBotOrder(clientOrderId: string): boolean {
  return clientOrderId.startsWith(BOT_PREFIX);
}

function checked(id: string): string {
  if (!LEGAL.test(id)) throw new Error(`client order id out of Binance's range: ${id}`);
  return id;
}

/**
 * A grid order's id: derived from the grid id and the grid's own order counter, so the same re-arm decision always
 * produces the same id (retries and restarts re-send it rather than inventing a new one). Level and side are for people.
 * Example: tg_G3_17_B-2 is grid G3's 17th order, a buy at level -2.
 */
export function gridOrderId(gridId: string, seq: number, side: Side, level: number): string {
  return checked(`${BOT_PREFIX}${gridId}_${seq}_${side === 'BUY' ? 'B' : 'S'}${level}`);
}

/**
 * gridOrderId for one grid, for the re-arm path that draws an id per fill: the grid id's characters are checked once,
 * and with whole numbers (digits and a sign) only the length can then be out of Binance's range; anything else is
 * checked whole, as gridOrderId does.
 */
export function gridOrderIdsOf(gridId: string): (seq: number, side: Side, level: number) => string {
  const legal = LEGAL.test(gridId);
  return (seq, side, level) => {
    const id = `${BOT_PREFIX}${gridId}_${seq}_${side === 'BUY' ? 'B' : 'S'}${level}`;
    return legal && id.length <= 36 && Number.isSafeInteger(seq) && Number.isSafeInteger(level) ? id : checked(id);
  };
}

/** An order the owner asked for outside any grid (the kill switch's flattening): e.g. tg_F2_S, the 2nd, a sell. */
export function manualOrderId(id: string, side: Side): string {
  return checked(`${BOT_PREFIX}${id}_${side === 'BUY' ? 'B' : 'S'}`);
}

/** The grid id inside a grid order's id, or undefined for any other order. */
export function gridIdOf(clientOrderId: string): string | undefined {
  if (!clientOrderId.startsWith(BOT_PREFIX)) return undefined;
  const rest = clientOrderId.slice(BOT_PREFIX.length);
  const m = /^(G[A-Za-z0-9]+)_\d+_[BS]-?\d+$/.exec(rest);
  return m?.[1];
}
