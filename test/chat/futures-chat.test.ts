import { describe, expect, it } from 'vitest';
import {
  Dispatcher,
  type FundingView,
  type FuturesPnlView,
  type FuturesPositionView,
  type QuoteAssetOf,
  describeEvent,
  renderEvent,
} from '../../src/chat/index.js';
import { toStored } from '../../src/chat/outbox/notification.js';
import { type WaitingNote, planMessage } from '../../src/chat/outbox/index.js';
import { type Message, type Result, ZERO, failure, fx, ok } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

const BTC_P: FuturesPositionView = {
  symbol: 'BTCUSDT.P',
  amount: fx('-0.01'),
  entryPrice: fx('95000'),
  breakEvenPrice: fx('94952.5'),
  mark: fx('94000'),
  unrealizedPnl: fx('10'),
  liquidationPrice: fx('103000'),
  liquidationDistancePct: fx('9.57446808'),
  leverage: 5,
  marginType: 'ISOLATED',
  isolatedWallet: fx('190'),
  realizedPnl: fx('2.5'),
  fees: fx('0.475'),
  funding: fx('0.19'),
};

class FuturesFake extends FakeServices {
  futuresList: FuturesPositionView[] = [BTC_P];
  futuresPnl(): FuturesPnlView {
    return {
      gridProfit: fx('3.21'),
      unrealized: fx('10'),
      realized: fx('4.1'),
      funding: fx('-0.95'),
      fees: fx('0.89'),
      walletBalance: fx('1002.26'),
      availableMargin: fx('812.26'),
      grids: [{ gridId: 'G7', symbol: 'BTCUSDT.P', roundTrips: 4, profit: fx('3.21') }],
    };
  }
  futuresPositions(): readonly FuturesPositionView[] {
    return this.futuresList;
  }
  async funding(symbol: string): Promise<Result<FundingView>> {
    if (symbol === 'BTCUSDT' || symbol === 'BTCUSDT.P')
      return ok({
        symbol: 'BTCUSDT.P',
        rate: fx('0.0001'),
        nextFundingTime: Date.UTC(2026, 11, 4, 16),
        mark: fx('94000'),
        position: fx('-0.01'),
        payment: fx('0.094'),
        paidSoFar: fx('0.19'),
      });
    if (symbol === 'ETHUSDT')
      return failure('SPOT_SYMBOL', 'ETHUSDT is traded spot here, and spot pays no funding; e.g. /funding BTCUSDT.P.');
    return failure('UNKNOWN_SYMBOL', `${symbol} is not a perpetual this bot trades (BTCUSDT.P); e.g. /funding BTCUSDT.P.`);
  }
}

function setup(services = new FuturesFake()) {
  const dispatcher = new Dispatcher({ services, clock: new ManualClock(0) });
  return { services, say: async (text: string) => (await dispatcher.handle('chat-1', text)).text };
}

describe('futures in the chat', () => {
  it("/stop on a futures grid says its position will be closed, a spot grid's coins stay", async () => {
    const { services, say } = setup();
    const spot = services.gridList[0]!;
    services.gridList = [spot, { ...spot, gridId: 'G2', symbol: 'BTCUSDT.P' }];
    expect(await say('/stop G2')).toContain("then the grid's position is closed with a reduce-only market order");
    expect(await say(`/stop ${spot.gridId}`)).toContain('anything already bought or sold stays as it is.');
  });

  it('/positions shows spot and futures apart: side, entry, break-even, mark, uPnL, liquidation, leverage, margin, funding', async () => {
    const { say } = setup();
    expect(await say('/positions')).toBe(
      [
        'Positions:',
        '  BTCUSDT 0.00250 @ avg 94525.00 · last 95000.00 · unrealized +1.19 · realized 0.00 · fees 0.24 USDT',
        'Futures (USD-M):',
        '  BTCUSDT.P short 0.01 @ 95000.00 · break-even 94952.50 · mark 94000.00 · uPnL +10.00 · liq 103000.00 (9.5745 % away) · ' +
          'x5 isolated · funding +0.19 · realized +2.50 · fees 0.475 USDT',
      ].join('\n'),
    );
  });

  it('/positions with only a futures position, and with nothing at all', async () => {
    const services = new FuturesFake();
    services.positionList = [];
    const { say } = setup(services);
    expect(await say('/positions')).toMatch(/^Futures \(USD-M\):\n {2}BTCUSDT\.P short/);
    services.futuresList = [];
    expect(await say('/positions')).toBe('No positions.');
  });

  it('/pnl splits the futures account: grid profit, unrealized, realized, funding, fees, then the wallet', async () => {
    const { say } = setup();
    const text = await say('/pnl');
    expect(text).toContain(
      [
        'Futures, USD-M (USDT):',
        '  grid profit: +3.21 (matched round trips, after their fees)',
        '  unrealized:  +10.00',
        '  realized:    +4.10 (before fees)',
        '  funding:     -0.95',
        '  fees paid:   0.89',
        '  wallet 1002.26, available margin 812.26',
        '  G7 BTCUSDT.P · 4 round trips · +3.21',
      ].join('\n'),
    );
  });

  it('/funding SYMBOL: the rate, the next settlement and what the position pays or receives', async () => {
    const { say } = setup();
    expect(await say('/funding btcusdt.p')).toBe(
      [
        'Funding BTCUSDT.P: rate 0.01 % (longs pay shorts), next settlement 2026-12-04 16:00 UTC, mark 94000.00.',
        'Your short 0.01 receives 0.094 USDT at this rate and mark.',
        'Funding booked on BTCUSDT.P so far: +0.19 USDT.',
      ].join('\n'),
    );
  });

  it('/funding on a spot symbol, an unknown one, or without an argument answers specifically, with an example', async () => {
    const { say } = setup();
    expect(await say('/funding ETHUSDT')).toContain('spot pays no funding; e.g. /funding BTCUSDT.P.');
    expect(await say('/funding DOGEUSDT')).toContain('DOGEUSDT is not a perpetual this bot trades');
    expect(await say('/funding')).toContain('SYMBOL is missing');
    expect(await say('/funding BTC-USDT')).toContain("expected a perpetual like BTCUSDT.P (or BTCUSDT), got 'BTC-USDT'");
  });

  it('/funding on a bot without futures says so', async () => {
    const { say } = setup(new FakeServices() as FuturesFake);
    expect(await say('/funding BTCUSDT.P')).toContain('this bot trades no perpetuals');
  });
});

const listed: QuoteAssetOf = () => 'USDT';
const T = Date.UTC(2026, 11, 4, 16);

describe('futures notifications', () => {
  it('a position change: side, size, entry, mark, uPnL and the liquidation price with its distance', () => {
    const e: Message = {
      type: 'FuturesPositionChanged',
      symbol: 'BTCUSDT.P',
      amount: fx('0.01'),
      entryPrice: fx('95000'),
      breakEvenPrice: fx('95047.5'),
      mark: fx('94000'),
      unrealizedPnl: fx('-10'),
      liquidationPrice: fx('86000'),
      realizedPnl: ZERO,
      fees: fx('0.475'),
      cause: 'fill',
      time: T,
    };
    expect(renderEvent(e, listed)).toBe(
      '📊 BTCUSDT.P long 0.01 · entry 95000.00 · mark 94000.00 · uPnL -10.00 USDT · liq 86000.00 (8.5106 % away) · ' +
        'realized 0.00 USDT (fees 0.475)',
    );
    expect(describeEvent(e, listed)).toMatchObject({ kind: 'position', symbol: 'BTCUSDT.P' });
    const adopted = describeEvent(
      { ...e, cause: 'venue', note: 'the venue reported a position no fill of the bot explains: 0 → 0.01' },
      listed,
    );
    expect(adopted?.urgent).toBe(true);
    expect(adopted?.text).toContain('⚠️ BTCUSDT.P position changed on the venue: long 0.01');
    expect(adopted?.text).toContain(
      "(the venue reported a position no fill of the bot explains: 0 → 0.01; the bot now follows the venue's position)",
    );
  });

  it('a margin call and a liquidation go in the urgent lane', () => {
    const call: Message = {
      type: 'MarginCallReported',
      call: {
        time: T,
        crossWalletBalance: fx('120'),
        positions: [
          {
            symbol: 'BTCUSDT.P',
            positionSide: 'BOTH',
            positionAmt: fx('0.1'),
            marginType: 'CROSSED',
            isolatedWallet: ZERO,
            markPrice: fx('90000'),
            unrealizedPnl: fx('-500'),
            maintMargin: fx('36'),
          },
        ],
      },
    };
    const c = describeEvent(call, listed);
    expect(c).toMatchObject({ kind: 'error', urgent: true });
    expect(c?.text).toBe(
      '🚨 MARGIN CALL: close to liquidation (cross wallet 120.00). BTCUSDT.P long 0.1 at mark 90000.00: uPnL -500.00, ' +
        'maintenance margin 36.00. Add margin, reduce the position (/stop the grid closes it), or /kill flatten.',
    );
    const liq: Message = {
      type: 'PositionLiquidated',
      report: {
        clientOrderId: 'autoclose-1',
        exchangeOrderId: '9',
        symbol: 'BTCUSDT.P',
        side: 'SELL',
        type: 'LIQUIDATION',
        timeInForce: 'IOC',
        status: 'FILLED',
        price: ZERO,
        origQty: fx('0.1'),
        cumQty: fx('0.1'),
        avgPrice: fx('89500'),
        reduceOnly: true,
        positionSide: 'BOTH',
        trade: {
          tradeId: 1,
          price: fx('89500'),
          quantity: fx('0.1'),
          commission: fx('4.475'),
          commissionAsset: 'USDT',
          realizedPnl: fx('-550'),
          isMaker: false,
        },
        time: T,
      },
    };
    const l = describeEvent(liq, listed);
    expect(l).toMatchObject({ kind: 'error', urgent: true, symbol: 'BTCUSDT.P' });
    expect(l?.text).toBe(
      '🔥 LIQUIDATED: the venue closed BTCUSDT.P with a SELL LIQUIDATION order 0.1 at 89500.00, realized -550.00 USDT, fee 4.475 USDT. ' +
        '/positions shows what is left.',
    );
  });

  it('funding payments are digested: a run of settlements on one symbol is one line with their net', () => {
    const settled = (amount: string, at: number): Message => ({
      type: 'FundingSettled',
      symbol: 'BTCUSDT.P',
      amount: fx(amount),
      positionAmount: fx('0.1'),
      rate: fx('0.0001'),
      source: 'income',
      time: at,
    });
    const one = describeEvent(settled('-0.95', T), listed);
    expect(one?.text).toBe('💸 Funding BTCUSDT.P on long 0.1: paid 0.95 USDT at rate 0.01 %, 2026-12-04 16:00 UTC');
    const waiting: WaitingNote[] = [settled('-0.95', T), settled('-0.96', T + 8 * 3_600_000), settled('0.5', T + 16 * 3_600_000)].map(
      (m, i) => {
        const d = describeEvent(m, listed);
        if (d === undefined) throw new Error('not described');
        return { id: String(i), note: toStored({ chatId: 1, ...d }, false, false, i * 1000), uncertain: false };
      },
    );
    const plan = planMessage([], waiting, 3000, () => 'USDT');
    expect(plan?.text).toBe('💸 Funding on BTCUSDT.P: 3 settlements in the last 3.0 s, paid 1.41 USDT in all.');
    expect(plan?.routineIds).toEqual(['0', '1', '2']);
  });
});
