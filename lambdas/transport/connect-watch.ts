import type { Socket } from 'node:net';

/**
 * How a caller learns when the upstream connection of a provider call is open, through the SDK (which has no hook
 * for it): the adapter hands the listener to the SDK as a request's `fetchOptions` (`connectionWatch`); both SDKs
 * pass those options on to their `fetch` — the transport (node-fetch.ts) — which reports the request's connection to
 * it once it is open: TCP connected and, for https, the TLS handshake done; a reused keep-alive connection is open
 * at once. Carried with the call, not in an async context: AsyncLocalStorage would put promise hooks on every
 * promise of the process (measured: promise-heavy code ~1.5–2× slower in Node 22).
 */
export const CONNECTION_OPEN: unique symbol = Symbol('llm-gateway.connectionOpen');

/**
 * The `fetchOptions` that hand `onOpen` to the transport (none when no one watches). Typed without properties: each
 * SDK declares its own RequestInit, and this is one of them all.
 */
export function connectionWatch(onOpen: (() => void) | undefined): Readonly<Record<never, never>> {
  return onOpen === undefined ? {} : { [CONNECTION_OPEN]: onOpen };
}

/**
 * For the transport, when it starts a request: the call's listener as a handler of the request's socket, or
 * undefined when no one watches.
 */
export function openReporter(init: RequestInit, secure: boolean): ((socket: Socket) => void) | undefined {
  const onOpen: unknown = Reflect.get(init, CONNECTION_OPEN);
  return typeof onOpen === 'function' ? socketReporter(() => void onOpen(), secure) : undefined;
}

/** The same for a call that holds its listener itself (providers/openai/chat-call.ts: no SDK in between). */
export function socketReporter(onOpen: () => void, secure: boolean): (socket: Socket) => void {
  return (socket) => {
    if (socket.connecting) socket.once(secure ? 'secureConnect' : 'connect', onOpen);
    else onOpen();
  };
}
