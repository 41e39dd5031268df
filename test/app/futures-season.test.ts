import { beforeAll, describe, expect, it } from 'vitest';
import { type Fixed, type TradeTick, ZERO, fixed, fundingWalletChange, fx } from '../../src/domain/index.js';
import type { GridPnl } from '../../src/portfolio/index.js';
import { signPayload } from '../../src/sandbox/index.js';
import { type SeasonEnd, type SeasonResult, runSeason } from '../kit/season-run.js';
import { klineTrades, minuteDay2020 } from '../kit/season-tape.js';

/**
 * Issue 12's futures day: a neutral grid at x3 on the BTCUSDT perpetual, started from the chat as the owner types it,
 * across the replayed 1-minute file of 2020-01-01 (7175 … 7255) through the running bot in paper mode (the real
 * binance-api-node adapters on a sandbox over loopback, the real Redis and order pipeline), on a manual clock that
 * follows the tape. Funding is a constant 0.0001 per 8 h (the sandbox's default, Binance's base rate). The tape ends at
 * 23:59:59.999; one last trade at the day's close price at 2020-01-02 00:00 lets the next settlement fall due, so the
 * day's three funding instants are 08:00, 16:00 and the following 00:00. The file's own 00:00 is the sandbox's start:
 * nothing is open then, and a flat position pays nothing (no row).
 * Everything the test compares is read from the sandbox: its events as it sent them, and at the end its REST answers.
 */
const RATE = fx('0.0001');
const HOUR = 3_600_000;
const DAY_START = Date.UTC(2020, 0, 1);
const SETTLEMENTS = [8 * HOUR, 16 * HOUR, 24 * HOUR].map((h) => DAY_START + h);

function tape(): TradeTick[] {
  const trades = klineTrades([minuteDay2020()]);
  const last = trades.at(-1) as TradeTick;
  return [...trades, { ...last, time: DAY_START + 24 * HOUR, tradeId: last.tradeId + 1 }];
}

interface Settlement {
  readonly time: number;
  readonly change: Fixed;
  /** The sandbox's mark and position when it settled. */
  readonly mark: Fixed;
  readonly positionAmt: Fixed;
}

/** What the sandbox answers any signed client on its REST port (the bot's own key). */
async function signedGet<T>(end: SeasonEnd, path: string, query = ''): Promise<T> {
  const q = `${query}${query === '' ? '' : '&'}timestamp=${end.now}&recvWindow=60000`;
  const url = `${end.server.httpBase}${path}?${q}&signature=${signPayload(end.account.apiSecret, q)}`;
  const res = await fetch(url, { headers: { 'X-MBX-APIKEY': end.account.apiKey } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Venue {
  position: { positionAmt: string; entryPrice: string };
  trades: { realizedPnl: string; commission: string; side: 'BUY' | 'SELL'; quoteQty: string }[];
  balance: { asset: string; balance: string }[];
  income: { incomeType: string; income: string; time: number }[];
}

let season: SeasonResult;
let trades: TradeTick[];
const settlements: Settlement[] = [];
let venue: Venue;
let bot: {
  amount: Fixed;
  entry: Fixed;
  realized: Fixed;
  fees: Fixed;
  funding: Fixed;
  wallet: Fixed;
  trips: { profit: Fixed; sellQuote: Fixed; buyQuote: Fixed; feesQuote: Fixed }[];
  /** The grid's books as /grids shows them, the perpetual's last price, and the text of `/grids G1`. */
  grid: GridPnl;
  last: Fixed;
  gridText: string;
};

describe('a neutral x3 grid on the BTCUSDT perpetual across 2020-01-01, replayed through the running bot', () => {
  beforeAll(async () => {
    trades = tape();
    season = await runSeason({
      name: 'futures day',
      trades,
      grids: [{ label: 'neutral', command: '/grid BTCUSDT 10 0.1 150 neutral x3' }],
      futures: { fundingRate: RATE, walletBalance: fx('10000') },
      restartEveryMs: 7 * 86_400_000,
      watch: (hub) =>
        hub.onFuturesEvent((e) => {
          if (e.type !== 'account' || e.reason !== 'FUNDING_FEE') return;
          const p = hub.futuresEngine.positions('BTCUSDT');
          const positionAmt = p.ok ? (p.value[0]?.positionAmt ?? ZERO) : ZERO;
          const change = e.balances[0]?.balanceChange ?? ZERO;
          settlements.push({ time: e.time, change, mark: hub.futuresMarket.markPrice('BTCUSDT'), positionAmt });
        }),
      inspect: async (end) => {
        const [position] = await signedGet<Venue['position'][]>(end, '/fapi/v2/positionRisk', 'symbol=BTCUSDT');
        venue = {
          position: position as Venue['position'],
          trades: await signedGet(end, '/fapi/v1/userTrades', 'symbol=BTCUSDT&limit=1000'),
          balance: await signedGet(end, '/fapi/v2/balance'),
          income: await signedGet(end, '/fapi/v1/income', 'limit=1000'),
        };
        const book = end.app.kernel.futuresBook;
        const view = book.positionView('BTCUSDT.P');
        bot = {
          amount: view?.amount ?? ZERO,
          entry: view?.entryPrice ?? ZERO,
          realized: view?.realizedPnl ?? ZERO,
          fees: view?.fees ?? ZERO,
          funding: view?.funding ?? ZERO,
          wallet: book.totals().walletBalance,
          trips: end.trips.map((t) => ({ profit: t.profit, sellQuote: t.sellQuote, buyQuote: t.buyQuote, feesQuote: t.feesQuote })),
          grid: end.app.kernel.portfolio.gridPnl(end.grids[0]?.gridId ?? '') as GridPnl,
          last: end.app.kernel.market.lastPrice('BTCUSDT.P') ?? ZERO,
          gridText: await end.type(`/grids ${end.grids[0]?.gridId ?? ''}`, /marked at/),
        };
      },
    });
  }, 300_000);

  it('trades the whole day: round trips both ways, nothing doubled, every open order on the ladder', () => {
    expect(season.trades).toBe(trades.length);
    expect(bot.trips.length).toBeGreaterThan(20);
    expect(season.problems.filter((p) => /accepted twice|not on its grid's ladder|open orders differ/.test(p))).toEqual([]);
  });

  it("books every round trip's profit as sell minus buy minus fees, exactly as the exchange's fills imply", () => {
    for (const t of bot.trips) expect(t.profit).toBe(t.sellQuote - t.buyQuote - t.feesQuote);
    expect(season.problems.filter((p) => /round trip|never confirmed/.test(p))).toEqual([]);
  });

  it('settles funding at 08:00, 16:00 and 00:00 only, each −positionAmt × mark × rate at the mark of that instant', () => {
    expect(settlements.map((s) => s.time)).toEqual(SETTLEMENTS.filter((t) => settlements.some((s) => s.time === t)));
    for (const s of settlements) {
      // The mark at a settlement is the last trade before it (the sandbox settles before the trade at the instant).
      const before = trades.filter((t) => t.time < s.time).at(-1) as TradeTick;
      expect(s.mark).toBe(before.price);
      expect(s.change).toBe(fundingWalletChange(s.positionAmt, s.mark, RATE));
      expect(s.positionAmt).not.toBe(ZERO);
    }
    // A settlement instant without a row is one where the position was flat (nothing to pay).
    const rows = venue.income.filter((r) => r.incomeType === 'FUNDING_FEE');
    expect(rows.map((r) => [r.time, fx(r.income)])).toEqual(settlements.map((s) => [s.time, s.change]));
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it("holds the sandbox's position, realized PnL, fees, funding and wallet balance", () => {
    expect([bot.amount, bot.entry]).toEqual([fx(venue.position.positionAmt), fx(venue.position.entryPrice)]);
    expect(bot.realized).toBe(venue.trades.reduce((s, t) => s + fx(t.realizedPnl), ZERO));
    expect(bot.fees).toBe(venue.trades.reduce((s, t) => s + fx(t.commission), ZERO));
    expect(bot.funding).toBe(settlements.reduce((s, x) => s + x.change, ZERO));
    const usdt = venue.balance.find((b) => b.asset === 'USDT');
    expect(bot.wallet).toBe(fx(usdt?.balance ?? '0'));
    expect(fixed.format(bot.wallet)).toBe(fixed.format(fx('10000') + bot.realized - bot.fees + bot.funding));
  });

  it("books the grid in Binance's futures-grid terms: flows − fees + funding + its position at the last price, on its margin", () => {
    const flows = venue.trades.reduce((s, t) => s + (t.side === 'SELL' ? fx(t.quoteQty) : -fx(t.quoteQty)) - fx(t.commission), ZERO);
    const position = fx(venue.position.positionAmt);
    const total = flows + bot.funding + fixed.mul(position, bot.last, 'halfEven');
    expect(bot.grid.base).toBe(position);
    expect(bot.grid.totalPnl).toBe(total);
    expect(bot.grid.floatingPnl).toBe(total - bot.grid.gridProfit);
    expect(bot.grid.gridProfit).toBe(bot.trips.reduce((s, t) => s + t.profit, ZERO));
    // Its investment is the margin the confirmed preview asked for, not the notional of its buys.
    expect(bot.grid.investment).toBe(season.grids[0]?.investment);
    expect(bot.gridText).toContain(`position ${fixed.format(position)} BTC (${position < ZERO ? 'short' : 'long'})`);
  });

  it('finds nothing else wrong', () => {
    expect(season.problems).toEqual([]);
  });
});
