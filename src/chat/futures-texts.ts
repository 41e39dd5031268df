import { type Fixed, type MessageOf, ZERO, fixed } from '../domain/index.js';
import { formatPct, formatQty, formatQuote, formatSigned, formatTime } from './format.js';

/** "long 0.01", "short 0.01", "flat": how a trader names a one-way position. */
export function sideAndSize(amount: Fixed): string {
  if (amount === ZERO) return 'flat';
  return `${amount > ZERO ? 'long' : 'short'} ${formatQty(fixed.abs(amount))}`;
}

/** "liq 58000.00 (9.5 % away)", or "no liquidation price" when the wallet covers every price. */
export function liquidationText(
  amount: Fixed,
  liquidation: Fixed | undefined,
  mark: Fixed | undefined,
  px: (value: Fixed) => string = formatQuote,
): string {
  if (amount === ZERO) return '';
  if (liquidation === undefined) return 'no liquidation price';
  if (mark === undefined || mark === ZERO) return `liq ${px(liquidation)}`;
  const dir = amount > ZERO ? 1n : -1n;
  const pct = fixed.divRound(dir * (mark - liquidation) * 100n * fixed.SCALE, mark, 'floor');
  return `liq ${px(liquidation)} (${formatPct(pct)} % away)`;
}

/** What a position pays (negative) or receives at a settlement at `rate`: −pa·mark·rate, the domain's rounding. */
export function fundingWord(amount: Fixed, unit: string): string {
  if (amount === ZERO) return `nothing`;
  return amount < ZERO ? `pays ${formatQuote(-amount)}${unit}` : `receives ${formatQuote(amount)}${unit}`;
}

export function futuresPositionText(e: MessageOf<'FuturesPositionChanged'>, unit: string): string {
  const head =
    e.cause === 'liquidation'
      ? `🔥 ${e.symbol} liquidated:`
      : e.cause === 'venue'
        ? `⚠️ ${e.symbol} position changed on the venue:`
        : `📊 ${e.symbol}`;
  const parts = [sideAndSize(e.amount)];
  if (e.amount !== ZERO) {
    parts.push(`entry ${formatQuote(e.entryPrice)}`);
    if (e.mark !== undefined) parts.push(`mark ${formatQuote(e.mark)}`);
    parts.push(`uPnL ${formatSigned(e.unrealizedPnl)}${unit}`);
    parts.push(liquidationText(e.amount, e.liquidationPrice, e.mark));
  }
  parts.push(`realized ${formatSigned(e.realizedPnl)}${unit} (fees ${formatQuote(e.fees)})`);
  const note = e.note !== undefined ? ` (${e.note}; the bot now follows the venue's position)` : '';
  return `${head} ${parts.join(' · ')}${note}`;
}

export function fundingSettledText(e: MessageOf<'FundingSettled'>, unit: string): string {
  const verb = e.amount < ZERO ? `paid ${formatQuote(-e.amount)}` : `received ${formatQuote(e.amount)}`;
  const pos = e.positionAmount !== undefined ? ` on ${sideAndSize(e.positionAmount)}` : '';
  const rate = e.rate !== undefined ? ` at rate ${formatPct(e.rate * 100n)} %` : '';
  const est = e.source === 'estimate' ? ' (estimated from the position, mark and rate: the venue gave no income row)' : '';
  return `💸 Funding ${e.symbol}${pos}: ${verb}${unit}${rate}, ${formatTime(e.time)}${est}`;
}

export function marginCallText(e: MessageOf<'MarginCallReported'>): string {
  const lines = e.call.positions.map(
    (p) =>
      `${p.symbol} ${sideAndSize(p.positionAmt)} at mark ${formatQuote(p.markPrice)}: uPnL ${formatSigned(p.unrealizedPnl)}, ` +
      `maintenance margin ${formatQuote(p.maintMargin)}` +
      (p.marginType === 'ISOLATED' ? `, isolated wallet ${formatQuote(p.isolatedWallet)}` : ''),
  );
  // The cross wallet backs only cross positions: beside an isolated one alone it is a large, calm number that says
  // nothing about the position at risk (its isolated wallet does), so it is named only when a cross position is called.
  const cross = e.call.positions.some((p) => p.marginType !== 'ISOLATED')
    ? ` (cross wallet ${formatQuote(e.call.crossWalletBalance)})`
    : '';
  return (
    `🚨 MARGIN CALL: close to liquidation${cross}. ${lines.join('; ')}. ` +
    'Add margin, reduce the position (/stop the grid closes it), or /kill flatten.'
  );
}

export function liquidatedText(e: MessageOf<'PositionLiquidated'>, unit: string): string {
  const r = e.report;
  const t = r.trade;
  const fill =
    t !== undefined
      ? ` ${formatQty(t.quantity)} at ${formatQuote(t.price)}, ` +
        `realized ${formatSigned(t.realizedPnl)}${unit}, fee ${formatQuote(t.commission)}${unit}`
      : '';
  return `🔥 LIQUIDATED: the venue closed ${r.symbol} with a ${r.side} LIQUIDATION order${fill}. /positions shows what is left.`;
}
