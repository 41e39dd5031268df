import { type Fixed, type Side, ZERO, fixed } from '../../domain/index.js';

/** The unclosed rest of an opening fill: its quantity and quote-valued fee shrink as closing fills consume it. */
export interface Lot {
  qty: Fixed;
  fee: Fixed;
  readonly price: Fixed;
}

/**
 * The lots of an order that carries none, shared by all of them rather than an empty array each (most orders hold one
 * for their whole life). Frozen: only a non-empty carry is ever pushed onto, and a push onto this would throw rather
 * than hand lots to every other order.
 */
export const NO_LOTS: Lot[] = Object.freeze([]) as unknown as Lot[];

/** An opening fill's lot as a re-arm carries it to its closer; a class, not a literal, so V8 allocates it young (grid-state.ts). */
export class OpenLot implements Lot {
  constructor(
    public qty: Fixed,
    public fee: Fixed,
    readonly price: Fixed,
  ) {}
}

/** One closed piece of a round trip, with profit = sellQuote − buyQuote − feesQuote exactly. */
export interface ClosedPart {
  readonly quantity: Fixed;
  readonly buyPrice: Fixed;
  readonly sellPrice: Fixed;
  readonly buyQuote: Fixed;
  readonly sellQuote: Fixed;
  readonly feesQuote: Fixed;
  readonly profit: Fixed;
}

/**
 * The share of `fee` that `part` of `qty` carries: pro rata, and everything left when the part is the whole rest, so
 * shares taken one after another add up to the fee exactly.
 */
function feeShare(fee: Fixed, qty: Fixed, part: Fixed): Fixed {
  if (part >= qty || qty <= ZERO) return fee;
  return fixed.divRound(fee * part, qty, 'halfEven');
}

/**
 * Closes lots first-in first-out with one closing fill (its side is the closer's side) and returns the closed parts.
 * Quantity beyond what the lots hold closes nothing: it was never opened by this grid.
 */
export function closeLots(lots: Lot[], closerSide: Side, fillQty: Fixed, fillPrice: Fixed, fillFee: Fixed): ClosedPart[] {
  const parts: ClosedPart[] = [];
  let left = fillQty;
  let feeLeft = fillFee;
  while (left > ZERO && lots.length > 0) {
    const lot = lots[0] as Lot;
    const q = lot.qty < left ? lot.qty : left;
    const openFee = feeShare(lot.fee, lot.qty, q);
    const closeFee = feeShare(feeLeft, left, q);
    lot.qty -= q;
    lot.fee -= openFee;
    left -= q;
    feeLeft -= closeFee;
    if (lot.qty === ZERO) lots.shift();
    const buyPrice = closerSide === 'SELL' ? lot.price : fillPrice;
    const sellPrice = closerSide === 'SELL' ? fillPrice : lot.price;
    const buyQuote = fixed.mul(q, buyPrice, 'halfEven');
    const sellQuote = fixed.mul(q, sellPrice, 'halfEven');
    const feesQuote = openFee + closeFee;
    parts.push({ quantity: q, buyPrice, sellPrice, buyQuote, sellQuote, feesQuote, profit: sellQuote - buyQuote - feesQuote });
  }
  return parts;
}
