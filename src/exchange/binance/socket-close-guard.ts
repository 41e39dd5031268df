import { createRequire } from 'node:module';

/**
 * binance-api-node opens its streams through reconnecting-websocket, which gives a connection 4 s to open. On the
 * timeout it removes its own listeners and then closes the socket; `ws` reports closing a socket still connecting as an
 * 'error' event, which then has no listener, and an EventEmitter 'error' without a listener kills the process. A slow
 * handshake (a congested link, a loaded exchange) must be a reconnect, not a crash: before that close, the socket gets
 * a listener that drops what the library has already given up on (it reconnects on its own).
 */
const MARK = Symbol.for('telegrid.socketCloseGuard');

interface Disconnecting {
  _ws?: { on?: (event: 'error', listener: () => void) => unknown };
  _disconnect(code?: number, reason?: string): void;
}

function install(): void {
  let proto: (Disconnecting & Record<PropertyKey, unknown>) | undefined;
  try {
    // The copy binance-api-node loads, wherever the package manager put it.
    const library = createRequire(createRequire(import.meta.url).resolve('binance-api-node'));
    const exported = library('reconnecting-websocket') as { default?: { prototype: unknown }; prototype?: unknown };
    proto = (exported.default ?? exported).prototype as Disconnecting & Record<PropertyKey, unknown>;
  } catch {
    return;
  }
  if (proto === undefined || typeof proto._disconnect !== 'function' || proto[MARK]) return;
  const disconnect = proto._disconnect;
  proto._disconnect = function (this: Disconnecting, code?: number, reason?: string) {
    this._ws?.on?.('error', () => undefined);
    disconnect.call(this, code, reason);
  };
  proto[MARK] = true;
}

install();
