import { timeoutError } from './try.js';

class ConnectTimeout extends Error {}
// Compared, never thrown to a caller: one instance spares a stack capture per timeout.
const CONNECT_TIMEOUT = new ConnectTimeout('connect timeout');

/**
 * A JSON call within `connectMs` for its connection: the upstream connection must be open (TCP, and TLS for https;
 * a kept-alive one is open at once) within `connectMs`, else the call is aborted as a 504 `upstream_timeout`. Only
 * the connection: providers send a JSON answer's status with the whole answer, which `firstByteMs` bounds. A stream
 * is timed to its status by startStream instead. `signal` (the try's) still ends the call at any time. The call hands
 * `onConnectionOpen` to its provider (ProviderCall.onConnectionOpen), which reports the open connection.
 */
export async function withinConnect<T>(
  provider: string,
  connectMs: number,
  signal: AbortSignal,
  call: (signal: AbortSignal, onConnectionOpen: () => void) => Promise<T>,
): Promise<T> {
  const connect = new AbortController();
  const forward = (): void => connect.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => connect.abort(CONNECT_TIMEOUT), connectMs);
  try {
    return await call(connect.signal, () => clearTimeout(timer));
  } catch (err) {
    if (connect.signal.reason === CONNECT_TIMEOUT) throw timeoutError(provider);
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
}
