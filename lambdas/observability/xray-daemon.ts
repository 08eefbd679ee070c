import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/**
 * The X-Ray daemon's UDP endpoint: where Lambda's daemon (or the X-Ray SDK's) takes segment documents, one per
 * datagram, each after the header line `{"format":"json","version":1}`
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-daemon).
 */

export interface DaemonAddress {
  readonly host: string;
  readonly port: number;
}

const DEFAULT_DAEMON: DaemonAddress = { host: '127.0.0.1', port: 2000 };
const HEADER = '{"format":"json","version":1}\n';

const hostPort = (text: string): DaemonAddress | undefined => {
  const at = text.lastIndexOf(':');
  const host = text.slice(0, at);
  const port = Number(text.slice(at + 1));
  return at > 0 && Number.isInteger(port) && port > 0 && port < 65536 ? { host, port } : undefined;
};

/**
 * AWS_XRAY_DAEMON_ADDRESS as the SDK reads it: `host:port` (Lambda sets it), or `udp:host:port tcp:host:port` in
 * either order (the UDP one is used); unset, 127.0.0.1:2000; malformed, undefined (nowhere to send).
 */
export function daemonAddress(env: NodeJS.ProcessEnv = process.env): DaemonAddress | undefined {
  const value = (env.AWS_XRAY_DAEMON_ADDRESS ?? '').trim();
  if (value === '') return DEFAULT_DAEMON;
  const parts = value.split(/\s+/);
  if (parts.length === 1) return hostPort(value);
  const udp = parts.find((part) => part.startsWith('udp:'));
  return parts.length === 2 && udp !== undefined ? hostPort(udp.slice('udp:'.length)) : undefined;
}

/** One socket per process and address family, unref'd (it never keeps the process up), made on the first send. */
const sockets = new Map<'udp4' | 'udp6', Socket>();

function socketFor(type: 'udp4' | 'udp6'): Socket {
  let socket = sockets.get(type);
  if (socket === undefined) {
    const created = createSocket(type);
    created.unref();
    // A socket that failed is dropped (the next send makes another); the failure is nobody's business.
    created.on('error', () => {
      if (sockets.get(type) === created) sockets.delete(type);
      try {
        created.close();
      } catch {
        // Already closed.
      }
    });
    sockets.set(type, created);
    socket = created;
  }
  return socket;
}

/**
 * Sends one segment document to the daemon: fire and forget. Nothing is awaited and nothing thrown — a lost
 * datagram costs a subsegment, never a request.
 */
export function sendToDaemon(address: DaemonAddress, document: Record<string, unknown>): void {
  try {
    const datagram = Buffer.from(HEADER + JSON.stringify(document));
    socketFor(isIPv6(address.host) ? 'udp6' : 'udp4').send(datagram, address.port, address.host, () => undefined);
  } catch {
    // A synchronous failure (a socket closed under us, a name that cannot be looked up): the subsegment is lost.
  }
}
