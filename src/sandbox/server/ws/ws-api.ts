import type { WebSocket } from 'ws';
import type { VenueEvent } from '../../matching/index.js';
import type { SandboxAccount } from '../sandbox-hub.js';
import { checkSignedRequest, wsApiSignedPayload } from '../signed-request.js';
import { type OrderFacts, accountPositionEvent, executionReportEvent } from './user-data-payloads.js';

type RequestId = number | string | null;

/** A WS API refusal: Binance's status, code and message. */
interface ApiError {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

const REQUEST_WEIGHT_LIMIT = 6000;
const WEIGHT: Readonly<Record<string, number>> = { 'userDataStream.subscribe.signature': 2, 'userDataStream.unsubscribe': 2 };

/** One WS API connection: its user data subscriptions (at most one, Binance allows one per account) and its weight. */
interface Session {
  readonly socket: WebSocket;
  nextSubscriptionId: number;
  subscriptionId: number | undefined;
  weightMinute: number;
  weight: number;
}

/**
 * The WebSocket API at `/ws-api/v3`, as far as binance-api-node's user data stream needs it:
 * `userDataStream.subscribe.signature` and `userDataStream.unsubscribe`, and the events of every subscription.
 */
export class WsApi {
  private readonly sessions = new Set<Session>();
  private nextExecutionId = 1;

  constructor(
    private readonly account: SandboxAccount,
    private readonly now: () => number,
  ) {}

  accept(socket: WebSocket): void {
    const session: Session = { socket, nextSubscriptionId: 0, subscriptionId: undefined, weightMinute: -1, weight: 0 };
    this.sessions.add(session);
    socket.on('message', (data, isBinary) => this.request(session, isBinary ? '' : String(data)));
    socket.once('close', () => this.sessions.delete(session));
  }

  /** One venue event to every subscribed session, serialized once; `eventTime` is given when delivery was held back. */
  onVenueEvent(ev: VenueEvent, eventTime = this.now()): void {
    let event: object;
    switch (ev.type) {
      case 'execution':
        event = executionReportEvent(ev.report, this.factsOf(ev.report), eventTime);
        break;
      case 'balances':
        event = accountPositionEvent(ev.balances, ev.time, eventTime);
        break;
    }
    let json: string | undefined;
    for (const s of this.sessions) {
      if (s.subscriptionId === undefined || s.socket.readyState !== s.socket.OPEN) continue;
      json ??= JSON.stringify(event);
      s.socket.send(`{"subscriptionId":${s.subscriptionId},"event":${json}}`);
    }
  }

  private factsOf(r: Extract<VenueEvent, { type: 'execution' }>['report']): OrderFacts {
    return { creationTime: r.orderTime, timeInForce: r.timeInForce, executionId: this.nextExecutionId++ };
  }

  private request(session: Session, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.answer(session, null, 0, { status: 400, code: -1102, msg: 'Malformed request: invalid JSON.' });
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return this.answer(session, null, 0, { status: 400, code: -1102, msg: 'Malformed request: expected a JSON object.' });
    }
    const { id: rawId, method, params } = msg as { id?: unknown; method?: unknown; params?: unknown };
    const id: RequestId = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
    const p = typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
    const weight = typeof method === 'string' ? (WEIGHT[method] ?? 1) : 1;
    switch (method) {
      case 'userDataStream.subscribe.signature': {
        const res = this.subscribe(session, p);
        return this.answer(session, id, weight, res);
      }
      case 'userDataStream.unsubscribe':
        return this.answer(session, id, weight, this.unsubscribe(session, p));
      default:
        return this.answer(session, id, weight, { status: 400, code: -1102, msg: `Unknown method '${String(method)}'.` });
    }
  }

  private subscribe(session: Session, p: Record<string, unknown>): object | ApiError {
    const refused = this.verify(p);
    if (refused !== undefined) return refused;
    if (session.subscriptionId !== undefined) return { status: 400, code: -2035, msg: 'User Data Stream subscription already active.' };
    session.subscriptionId = session.nextSubscriptionId++;
    return { subscriptionId: session.subscriptionId };
  }

  private unsubscribe(session: Session, p: Record<string, unknown>): object | ApiError {
    const wanted = p.subscriptionId;
    if (wanted !== undefined && wanted !== null && Number(wanted) !== session.subscriptionId) {
      return { status: 400, code: -2036, msg: 'User Data Stream subscription not active.' };
    }
    session.subscriptionId = undefined;
    return {};
  }

  /** The shared SIGNED check over the WS API's payload: the params sorted alphabetically, `apiKey` among them. */
  private verify(p: Record<string, unknown>): ApiError | undefined {
    const checked = checkSignedRequest(
      {
        apiKey: param(p, 'apiKey'),
        timestamp: param(p, 'timestamp'),
        recvWindow: param(p, 'recvWindow'),
        signature: param(p, 'signature'),
        payload: wsApiSignedPayload(p),
      },
      this.account,
      this.now(),
    );
    return checked.ok ? undefined : checked.error;
  }

  private answer(session: Session, id: RequestId, weight: number, res: object | ApiError): void {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== session.weightMinute) {
      session.weightMinute = minute;
      session.weight = 0;
    }
    session.weight += weight;
    const rateLimits = [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: REQUEST_WEIGHT_LIMIT, count: session.weight },
    ];
    const body = isApiError(res)
      ? { id, status: res.status, error: { code: res.code, msg: res.msg }, rateLimits }
      : { id, status: 200, result: res, rateLimits };
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(body));
  }
}

/** A param as the shared check reads it: a JSON string or number as text; anything else, or "", as absent. */
function param(p: Record<string, unknown>, name: string): string | undefined {
  const v = p[name];
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' ? String(v) : undefined;
}

function isApiError(res: object): res is ApiError {
  return 'status' in res && 'code' in res && 'msg' in res;
}
