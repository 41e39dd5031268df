import { z } from 'zod';
import { ZERO, fixed } from '../../domain/index.js';
import { type Check, required } from '../args.js';
import { formatPct, formatTime } from '../format.js';
import { fundingWord, liquidationText, sideAndSize } from '../futures-texts.js';
import { exact, money, price, quantity, signedExact, signedMoney } from '../numbers.js';
import { type Command, defineCommand } from '../registry.js';
import type { FundingView, FuturesPnlView, FuturesPositionView, SymbolView } from '../services.js';
import type { Precision } from './profit-texts.js';

/** A symbol the owner typed: letters and digits, with or without the perpetual's `.P`. */
const symbolText = (text: string): Check<string> =>
  /^[A-Za-z0-9]{2,20}(\.[Pp])?$/.test(text)
    ? { value: text.toUpperCase() }
    : { problem: `SYMBOL: expected a perpetual like BTCUSDT.P (or BTCUSDT), got '${text}'; e.g. /funding BTCUSDT.P.` };

/**
 * "BTCUSDT.P long 0.01 @ 95000.00 · break-even 95047.50 · mark 95100.00 · uPnL +1.00 · liq 86000.00 (9.46 % away) ·
 * x5 isolated · funding -0.95 · realized +0.00 · fees 0.19 USDT".
 */
export function futuresPositionLine(p: FuturesPositionView, quoteAsset: string, sym?: SymbolView): string {
  const parts = [
    `${p.symbol} ${p.amount === ZERO ? 'flat' : `${p.amount > ZERO ? 'long' : 'short'} ${quantity(fixed.abs(p.amount), sym)}`}`,
  ];
  if (p.amount !== ZERO) {
    parts[0] += ` @ ${price(p.entryPrice, sym)}`;
    parts.push(`break-even ${price(p.breakEvenPrice, sym)}`);
    parts.push(p.mark !== undefined ? `mark ${price(p.mark, sym)}` : 'no mark yet');
    parts.push(`uPnL ${signedMoney(p.unrealizedPnl)}`);
    // The liquidation price to the symbol's tick, like every other price on the line.
    parts.push(liquidationText(p.amount, p.liquidationPrice, p.mark, (v) => price(v, sym)));
  }
  parts.push(`x${p.leverage} ${p.marginType === 'ISOLATED' ? 'isolated' : 'cross'}`);
  parts.push(`funding ${signedMoney(p.funding)}`);
  parts.push(`realized ${signedMoney(p.realizedPnl)}`);
  parts.push(`fees ${money(p.fees)} ${quoteAsset}`);
  return parts.join(' · ');
}

/** `/pnl`'s futures part: grid profit, unrealized, funding and fees apart, then the wallet. */
export function futuresPnlLines(f: FuturesPnlView, quoteAsset: string, precision: Precision): string[] {
  const signed = precision === 'exact' ? signedExact : signedMoney;
  const plain = precision === 'exact' ? exact : money;
  const lines = [
    `Futures, USD-M (${quoteAsset}):`,
    `  grid profit: ${signed(f.gridProfit)} (matched round trips, after their fees)`,
    `  unrealized:  ${signed(f.unrealized)}`,
    `  realized:    ${signed(f.realized)} (before fees)`,
    `  funding:     ${signed(f.funding)}`,
    `  fees paid:   ${plain(f.fees)}`,
    `  wallet ${plain(f.walletBalance)}, available margin ${plain(f.availableMargin)}`,
  ];
  for (const g of f.grids) {
    lines.push(`  ${g.gridId} ${g.symbol} · ${g.roundTrips} round trip${g.roundTrips === 1 ? '' : 's'} · ${signed(g.profit)}`);
  }
  return lines;
}

export function fundingCommand(): Command<string, FundingView> {
  return defineCommand({
    name: 'funding',
    role: 'viewer',
    summary: "Show a perpetual's coming funding rate, when it settles, and what your position pays or receives then.",
    usage: '/funding SYMBOL',
    example: '/funding BTCUSDT.P',
    syntax: { positional: ['SYMBOL'] },
    args: z.object({ SYMBOL: required('SYMBOL', symbolText) }).transform((a) => a.SYMBOL),
    handler: async (symbol, ctx) => {
      const funding = ctx.services.funding;
      if (funding === undefined) {
        return {
          ok: false,
          error: {
            code: 'NO_FUTURES',
            message: 'this bot trades no perpetuals (FUTURES_SYMBOLS is empty), so there is no funding to show',
          },
        };
      }
      return funding(symbol);
    },
    render: (f, ctx) => {
      const q = ctx.services.quoteAsset;
      const direction = f.rate > ZERO ? 'longs pay shorts' : f.rate < ZERO ? 'shorts pay longs' : 'nobody pays';
      const lines = [
        `Funding ${f.symbol}: rate ${formatPct(f.rate * 100n)} % (${direction}), ` +
          `next settlement ${formatTime(f.nextFundingTime)}, mark ${money(f.mark)}.`,
        f.position === ZERO
          ? 'No position: nothing is paid or received.'
          : `Your ${sideAndSize(f.position)} ${fundingWord(f.payment, ` ${q}`)} at this rate and mark.`,
        `Funding booked on ${f.symbol} so far: ${signedMoney(f.paidSoFar)} ${q}.`,
      ];
      return { text: lines.join('\n') };
    },
  });
}
