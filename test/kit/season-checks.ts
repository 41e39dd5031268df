/**
 * The season replay's invariants, as issue 11 states them, each a pure function of what the exchange saw (the
 * ledger) and what the bot says. Each returns the problems it found, worded for a person; none is weakened to fit
 * today's grid: a check the grid breaks reports it.
 */
import { type Balance, type Fixed, type GridRoundTrip, ZERO, fixed } from '../../src/domain/index.js';
import type { LadderLevel } from '../../src/strategy/index.js';
import type { LedgerFill, LedgerOrder, SeasonLedger } from './season-ledger.js';

const SCALE = 100_000_000n;
const f = (v: Fixed) => fixed.format(v);

/** What the harness knows of one grid: the preview its owner confirmed and the lines it trades on. */
export interface SeasonGrid {
  readonly gridId: string;
  readonly label: string;
  /** The levels of the confirmed preview (index, side, price, quantity). */
  readonly levels: readonly LadderLevel[];
  /**
   * Every line the grid has traded on, low to high and contiguous, the reference line included: its ladder (the
   * snapshot's positive `prices`) and, for a trailing grid, the lines its window has reached beyond it.
   */
  readonly prices: readonly Fixed[];
  /** The level quantity of each line beyond the confirmed ladder (a trailing grid's): amount per level / price, floored. */
  readonly beyond?: ReadonlyMap<Fixed, Fixed>;
}

/** A buy that covers a base-asset fee: `q / (1 − fee)` rounded up to the step, as the example sizes it. */
function coverOf(q: Fixed, fee: Fixed, step: Fixed): Fixed {
  const raw = (q * SCALE + (SCALE - fee) - 1n) / (SCALE - fee);
  return fixed.roundTo(raw, step, 'ceil');
}

/**
 * Every level's quantity unchanged. The owner confirmed a quantity per level (the preview's); an order at level `k`
 * is either that level's own or one carried over from a neighbour (a buy filled at `k−1` sells its quantity at `k`,
 * a sell filled at `k+1` buys it back at `k`). So every limit sell the grid places at level `k` is for the confirmed
 * quantity of level `k−1`, `k` or `k+1`, exactly; every limit buy for one of those, or for one sized up (at most to
 * `ceil_step(q / (1 − fee))`) so that what arrives after a base-asset fee still covers it. The entry market buy is not
 * a level. A re-arm that shrinks by a lot step per round trip fails here at its first shrink.
 */
export function levelQuantityProblems(grid: SeasonGrid, ledger: SeasonLedger, makerFee: Fixed, step: Fixed): string[] {
  // A buy level's quantity is what its sell sells (`sellQuantity`); the buy itself may be sized up over it. Lines are
  // taken by their place among the grid's lines, so a trailing grid's lines beyond the ladder count as neighbours too.
  const qtyAt = new Map<Fixed, Fixed>([
    ...(grid.beyond ?? []),
    ...grid.levels.map((l): [Fixed, Fixed] => [l.price, l.sellQuantity ?? l.quantity]),
  ]);
  const allowed = (price: Fixed): Fixed[] => {
    const i = grid.prices.indexOf(price);
    if (i < 0) return [];
    return [i - 1, i, i + 1]
      .map((j) => grid.prices[j])
      .map((p) => (p === undefined ? undefined : qtyAt.get(p)))
      .filter((q): q is Fixed => q !== undefined);
  };
  const ok = (o: LedgerOrder) => {
    const qs = allowed(o.price);
    return o.side === 'SELL' ? qs.includes(o.quantity) : qs.some((q) => o.quantity >= q && o.quantity <= coverOf(q, makerFee, step));
  };
  const bad = [...ledger.orders.values()].filter((o) => o.gridId === grid.gridId && o.type === 'LIMIT' && !ok(o));
  if (bad.length === 0) return [];
  const first = bad[0] as LedgerOrder;
  const worst = bad.reduce((m, o) => {
    const shortfall = (x: LedgerOrder) => (allowed(x.price)[0] ?? x.quantity) - x.quantity;
    return shortfall(o) > shortfall(m) ? o : m;
  }, first);
  const show = (o: LedgerOrder) => {
    const there = allowed(o.price).map(f).join(', ') || 'none';
    return `${o.clientOrderId} ${o.side} ${f(o.quantity)} @ ${f(o.price)} (level quantities there: ${there})`;
  };
  const what = `${bad.length} order(s) for a quantity the owner never confirmed at their level`;
  return [`${grid.label}: ${what}; first ${show(first)}; most shrunk ${show(worst)}`];
}

interface Lot {
  qty: Fixed;
  fee: Fixed;
  readonly price: Fixed;
}

/** One round trip as recomputed from the exchange's fills. */
interface RecomputedTrip {
  readonly quantity: Fixed;
  readonly buyPrice: Fixed;
  readonly sellPrice: Fixed;
  readonly buyQuote: Fixed;
  readonly sellQuote: Fixed;
  readonly feesQuote: Fixed;
  readonly profit: Fixed;
}

/** `fee`'s share for `part` of `qty`: pro rata, half-even, and the whole rest for the last part (the README's rule). */
function share(fee: Fixed, qty: Fixed, part: Fixed): Fixed {
  return part >= qty || qty <= ZERO ? fee : fixed.divRound(fee * part, qty, 'halfEven');
}

/**
 * The share of a level quantity `q` that a buy of `orderQty` has covered after `cum` of it filled: all of `q` once the
 * order is complete, before that `q · cum / orderQty` floored to the step (src/strategy/grid/README.md, Re-arming).
 */
function levelShareOf(q: Fixed, orderQty: Fixed, cum: Fixed, step: Fixed): Fixed {
  if (cum >= orderQty) return q;
  return fixed.roundTo((q * cum) / orderQty, step, 'floor');
}

/**
 * The grid's round trips recomputed from the exchange's own record, independently of the bot's books, by the grid
 * README's definition. Lineage follows the exchange's order of events: an opening order's fill at a level (a ladder
 * order, or the re-arm of a closer) sends its lot to the next order the grid places one level over on the other side,
 * which is therefore a closer. A round trip is for the level quantity: a sell closer's quantity is it (so an opening
 * buy's lot is what its sell sells), and a buy closer (sized up over the level for a base fee) closes, with each fill,
 * the level share that fill stands for. Each fill's whole fee goes with the quantity it books (a sized-up buy's fee is
 * the round trip's cost; the dust it leaves is base still held); a lot closed in parts shares its fee pro rata, the
 * last part taking the rest. `profit = q·sell − q·buy − fees` (quotes half-even to 10⁻⁸).
 */
function recomputeTrips(grid: SeasonGrid, ledger: SeasonLedger, step: Fixed): RecomputedTrip[] {
  const events: ({ readonly kind: 'order'; readonly o: LedgerOrder } | { readonly kind: 'fill'; readonly x: LedgerFill })[] = [
    ...[...ledger.orders.values()].filter((o) => o.gridId === grid.gridId).map((o) => ({ kind: 'order' as const, o })),
    ...ledger.fills.filter((x) => x.gridId === grid.gridId).map((x) => ({ kind: 'fill' as const, x })),
  ].sort((a, b) => (a.kind === 'order' ? a.o.seq : a.x.seq) - (b.kind === 'order' ? b.o.seq : b.x.seq));
  const at = (price: Fixed) => grid.prices.indexOf(price);
  const pending = new Map<string, Lot[]>();
  const closers = new Map<string, { readonly lots: Lot[]; readonly order: LedgerOrder; readonly level: Fixed }>();
  const filled = new Map<string, Fixed>();
  const trips: RecomputedTrip[] = [];
  for (const e of events) {
    if (e.kind === 'order') {
      if (e.o.type !== 'LIMIT') continue;
      const key = `${e.o.side}@${e.o.price}`;
      const lots = pending.get(key);
      if (lots === undefined) continue;
      pending.delete(key);
      // A sell closer sells the level quantity, whatever the buy fills that opened it brought in (the rest is dust);
      // a buy closer buys back what its opening sells sold.
      const carried = lots.reduce((s, l) => s + l.qty, ZERO);
      if (e.o.side === 'SELL') (lots.at(-1) as Lot).qty += e.o.quantity - carried;
      closers.set(e.o.clientOrderId, { lots, order: e.o, level: e.o.side === 'SELL' ? e.o.quantity : carried });
      continue;
    }
    const x = e.x;
    if (x.type !== 'LIMIT') continue;
    const before = filled.get(x.clientOrderId) ?? ZERO;
    filled.set(x.clientOrderId, before + x.quantity);
    const closer = closers.get(x.clientOrderId);
    if (closer === undefined) {
      // The line is the order's limit price: a limit that crossed the market filled at a better price, off the lines.
      const i = at(ledger.orders.get(x.clientOrderId)?.price ?? x.price);
      const next = grid.prices[x.side === 'BUY' ? i + 1 : i - 1];
      if (i < 0 || next === undefined) continue;
      const key = `${x.side === 'BUY' ? 'SELL' : 'BUY'}@${next}`;
      pending.set(key, [...(pending.get(key) ?? []), { qty: x.quantity, fee: x.feeQuote, price: x.price }]);
      continue;
    }
    const { lots, order, level } = closer;
    // What this fill books: a sell its quantity; a buy the level share it stands for, with its whole fee.
    let left =
      x.side === 'SELL'
        ? x.quantity
        : levelShareOf(level, order.quantity, before + x.quantity, step) - levelShareOf(level, order.quantity, before, step);
    let feeLeft = x.feeQuote;
    while (left > ZERO && lots.length > 0) {
      const lot = lots[0] as Lot;
      const q = lot.qty < left ? lot.qty : left;
      const openFee = share(lot.fee, lot.qty, q);
      const closeFee = share(feeLeft, left, q);
      lot.qty -= q;
      lot.fee -= openFee;
      left -= q;
      feeLeft -= closeFee;
      if (lot.qty === ZERO) lots.shift();
      const buyPrice = x.side === 'SELL' ? lot.price : x.price;
      const sellPrice = x.side === 'SELL' ? x.price : lot.price;
      const buyQuote = fixed.mul(q, buyPrice, 'halfEven');
      const sellQuote = fixed.mul(q, sellPrice, 'halfEven');
      const feesQuote = openFee + closeFee;
      trips.push({ quantity: q, buyPrice, sellPrice, buyQuote, sellQuote, feesQuote, profit: sellQuote - buyQuote - feesQuote });
    }
  }
  return trips;
}

const tripKey = (t: Omit<RecomputedTrip, 'buyQuote' | 'sellQuote'>) =>
  `${f(t.quantity)} ${f(t.buyPrice)}→${f(t.sellPrice)} fees ${f(t.feesQuote)} profit ${f(t.profit)}`;

/**
 * Every round trip's profit exact: each round trip the bot books is internally exact and is one the exchange's fills
 * imply (quantity, prices, fees, profit to 10⁻⁸; its buy and sell orders on neighbouring lines, its prices the fills'),
 * and the round trips and grid profit the bot reports are the count and the sum of those the fills imply.
 */
export function roundTripProblems(
  grid: SeasonGrid,
  ledger: SeasonLedger,
  botTrips: readonly GridRoundTrip[],
  reported: { readonly roundTrips: number; readonly profit: Fixed } | undefined,
  step: Fixed,
): string[] {
  const problems: string[] = [];
  const mine = botTrips.filter((t) => t.gridId === grid.gridId);
  for (const t of mine) {
    const exact =
      t.buyQuote === fixed.mul(t.quantity, t.buyPrice, 'halfEven') &&
      t.sellQuote === fixed.mul(t.quantity, t.sellPrice, 'halfEven') &&
      t.profit === t.sellQuote - t.buyQuote - t.feesQuote;
    // Its lines are checked below, one for one against the exchange's lineage: its prices are the fills', which for a
    // limit that crossed the market are better than its line.
    if (!exact) {
      problems.push(`${grid.label}: round trip not exact: ${tripKey(t)}`);
      break;
    }
  }
  // The bot's round trips as heard on its bus (those a restart books before the harness listens are not heard, so the
  // comparison is one for one for what was heard, and in count and sum for everything the bot reports).
  const expected = recomputeTrips(grid, ledger, step);
  const unmatched = new Map<string, number>();
  for (const t of expected) unmatched.set(tripKey(t), (unmatched.get(tripKey(t)) ?? 0) + 1);
  const strays = mine.filter((t) => {
    const n = unmatched.get(tripKey(t)) ?? 0;
    if (n > 0) unmatched.set(tripKey(t), n - 1);
    return n === 0;
  });
  if (strays.length > 0)
    problems.push(
      `${grid.label}: ${strays.length} of the bot's ${mine.length} round trips are not what the exchange's fills imply; ` +
        `first ${tripKey(strays[0] as GridRoundTrip)}`,
    );
  const sum = expected.reduce((s, t) => s + t.profit, ZERO);
  if ((reported?.roundTrips ?? 0) !== expected.length || (reported?.profit ?? ZERO) !== sum)
    problems.push(
      `${grid.label}: the bot reports ${reported?.roundTrips ?? 0} round trips and ${f(reported?.profit ?? ZERO)} profit; ` +
        `the exchange's fills imply ${expected.length} and ${f(sum)}`,
    );
  return problems;
}

/** The bot's balances (every asset, free and locked) and its position in the base asset equal the exchange's. */
export function bookProblems(
  bot: { readonly balances: readonly Balance[]; readonly positionQty: Fixed },
  venue: readonly Balance[],
  baseAsset: string,
): string[] {
  const show = (bs: readonly Balance[]) =>
    bs
      .filter((b) => b.free !== ZERO || b.locked !== ZERO)
      .map((b) => `${b.asset} ${f(b.free)}+${f(b.locked)}`)
      .sort()
      .join(', ');
  const problems: string[] = [];
  if (show(bot.balances) !== show(venue)) problems.push(`balances: the bot has ${show(bot.balances)}, the exchange ${show(venue)}`);
  const base = venue.find((b) => b.asset === baseAsset);
  const held = (base?.free ?? ZERO) + (base?.locked ?? ZERO);
  if (bot.positionQty !== held) problems.push(`position: the bot holds ${f(bot.positionQty)} ${baseAsset}, the exchange ${f(held)}`);
  return problems;
}

/** No client order id accepted twice by the exchange. */
export function duplicateProblems(ledger: SeasonLedger): string[] {
  const doubled = ledger.doubled();
  return doubled.length === 0 ? [] : [`client order ids accepted twice: ${doubled.slice(0, 10).join(', ')}`];
}

/**
 * No open order outside the ladder: every order resting on the exchange belongs to a grid of the run and sits on one of
 * its ladder prices, and the bot's open orders are exactly the exchange's.
 */
export function ladderProblems(
  grids: readonly SeasonGrid[],
  venueOpen: readonly { readonly clientOrderId: string; readonly price: Fixed }[],
  botOpen: readonly string[],
  gridOf: (clientOrderId: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const o of venueOpen) {
    const grid = grids.find((g) => g.gridId === gridOf(o.clientOrderId));
    if (grid === undefined || !grid.prices.includes(o.price))
      problems.push(`open order ${o.clientOrderId} @ ${f(o.price)} is not on its grid's ladder`);
  }
  const venue = venueOpen.map((o) => o.clientOrderId).sort();
  const bot = [...botOpen].sort();
  if (venue.join(',') !== bot.join(',')) {
    const onlyBot = bot.filter((id) => !venue.includes(id));
    const onlyVenue = venue.filter((id) => !bot.includes(id));
    problems.push(
      `open orders differ: only the bot's ${onlyBot.join(', ') || 'none'}; only the exchange's ${onlyVenue.join(', ') || 'none'}`,
    );
  }
  return problems;
}

/** Growth of a memory figure from the first simulated days to the last, in percent (under 10 is flat). */
export function growthPct(base: number, last: number): number {
  return base <= 0 ? 0 : ((last - base) * 100) / base;
}
