import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** One datagram as the X-Ray daemon reads it: the header line and the segment document after it. */
export interface DaemonDatagram {
  readonly header: unknown;
  readonly document: Record<string, unknown>;
}

export interface FakeXRayDaemon {
  /** `127.0.0.1:<port>`, as AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Every datagram received so far, in order. */
  readonly received: readonly DaemonDatagram[];
  /** Resolves once `count` datagrams in all have arrived (no timer: the test's own timeout bounds it). */
  receivedCount(count: number): Promise<readonly DaemonDatagram[]>;
  close(): Promise<void>;
}

/** A UDP socket on an ephemeral loopback port standing in for the X-Ray daemon. */
export async function startFakeXRayDaemon(): Promise<FakeXRayDaemon> {
  const socket = createSocket('udp4');
  const received: DaemonDatagram[] = [];
  const waiting: { count: number; resolve: (all: readonly DaemonDatagram[]) => void }[] = [];
  socket.on('message', (message) => {
    const text = message.toString('utf8');
    const newline = text.indexOf('\n');
    received.push({
      header: JSON.parse(text.slice(0, newline)) as unknown,
      document: JSON.parse(text.slice(newline + 1)) as Record<string, unknown>,
    });
    for (const waiter of waiting.filter((w) => received.length >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve([...received]);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    received,
    receivedCount: (count) =>
      received.length >= count
        ? Promise.resolve([...received])
        : new Promise((resolve) => waiting.push({ count, resolve })),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
