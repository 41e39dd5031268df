import { formatPct, money, signedMoney, signedPercent } from '../../chat/index.js';
import { type Fixed, format } from '../../domain/index.js';
import type { BacktestReport, Outcome } from './backtest-types.js';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The grid as the owner typed it, in words: "10 × 0.5 % arithmetic, 100 USDT a level". */
function gridWords(r: BacktestReport): string {
  const p = r.preview.params;
  return `${p.levels} × ${formatPct(p.spacingPct)} % ${p.spacing}, ${money(p.amountQuote)} ${r.preview.quoteAsset} a level`;
}

function outcomeLine(label: string, o: Outcome, quote: string): string {
  return (
    `${label} ${signedMoney(o.totalPnl)} ${quote} (${signedPercent(o.returnPct)} %, APR ${signedPercent(o.aprPct)} %), ` +
    `max drawdown ${format(o.maxDrawdownPct, 2)} %`
  );
}

/** What a candle tape can and cannot say, under every result. */
export function honestyLine(r: BacktestReport): string {
  const fee = (f: Fixed) => `${formatPct(f * 100n)} %`;
  return (
    `ℹ️ Replayed on ${r.interval} candles through telegrid's own engine and the sandbox's matching core: each candle ` +
    'trades open → low → high → close when it closed up (open → high → low → close when down), and a limit fills only ' +
    `when that path trades through its price. ` +
    `Fees: maker ${fee(r.preview.makerFee)}, taker ${fee(r.preview.takerFee ?? r.preview.makerFee)}. ` +
    'A candle cannot show the trades inside it or your place in the queue: live fills may differ.' +
    (r.futures ? FUTURES_HONESTY : '')
  );
}

// ── futures ──

const FUTURES_HONESTY =
  ' Perpetual: the mark is the last trade (no index premium), funding settles on the position held at each funding time.';

/** A futures grid's terms, wallet and funding, and what the holding yardstick is for it; nothing for spot. */
function futuresLines(r: BacktestReport): string[] {
  const f = r.futures;
  if (f === undefined) return [];
  const q = r.preview.quoteAsset;
  const n = f.settlements.length;
  return [
    `Perpetual ${f.mode} x${f.leverage} ${f.margin}, futures wallet ${money(f.wallet)} ${q}; ` +
      `funding ${signedMoney(f.funding)} ${q} over ${n} settlement${n === 1 ? '' : 's'} (in the grid total); ` +
      `holding = the margin held as ${r.preview.baseAsset}, unleveraged`,
    ...(f.liquidated ? ['⚠️ The position was liquidated during the replay: its loss and clearance fee are in the figures'] : []),
  ];
}

/** The report as the chat and `telegrid backtest` print it. */
export function backtestText(r: BacktestReport): string {
  const q = r.preview.quoteAsset;
  const denied = Object.entries(r.denied);
  return [
    `🧪 Backtest ${r.symbol} ${gridWords(r)}`,
    `${r.candles} ${r.interval} candles, ${day(r.from)} → ${day(r.to)} UTC`,
    `Investment ${money(r.investment)} ${q}`,
    `Grid profit ${signedMoney(r.gridProfit)} ${q} from ${r.roundTrips} round trips; ` +
      `unrealized ${signedMoney(r.unrealizedPnl)}; fees paid ${money(r.fees)}`,
    ...futuresLines(r),
    outcomeLine('Grid total', r.grid, q),
    outcomeLine('Holding instead', r.hold, q),
    `Fills ${r.fills} (${format(r.fillsPerDay, 1)} a day); price inside the ladder ${format(r.timeInRangePct, 1)} % of the time`,
    ...(denied.length > 0 ? [`⚠️ Orders the risk gate refused: ${denied.map(([code, n]) => `${code} ×${n}`).join(', ')}`] : []),
    honestyLine(r),
  ].join('\n');
}
