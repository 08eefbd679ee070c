import { AsyncLocalStorage } from 'node:async_hooks';
import type { Socket } from 'node:net';

/**
 * Lets a caller learn when the upstream connection of a provider call is open, through the SDK (which has no hook
 * for it): `watchConnections` runs the call with a listener in its async context, and the transport (node-fetch.ts)
 * reports each request's connection to it once it is open — TCP connected and, for https, the TLS handshake done; a
 * reused keep-alive connection is open at once.
 */
const watch = new AsyncLocalStorage<() => void>();

export function watchConnections<T>(onOpen: () => void, call: () => Promise<T>): Promise<T> {
  return watch.run(onOpen, call);
}

/**
 * For the transport, when it starts a request: the current call's listener as a handler of the request's socket
 * (read now, in the call's context: the socket may be assigned later, from another), or undefined when no one watches.
 */
export function openReporter(secure: boolean): ((socket: Socket) => void) | undefined {
  const onOpen = watch.getStore();
  if (onOpen === undefined) return undefined;
  return (socket) => {
    if (socket.connecting) socket.once(secure ? 'secureConnect' : 'connect', onOpen);
    else onOpen();
  };
}
