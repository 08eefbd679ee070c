import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DynamoDB endpoint in front of another (the embedded store) that passes every call through, except the ledger's
 * bookings (the request record's PutItem, or a TransactWriteItems) it is told to hold until released or to fail with
 * a 500 InternalServerError — the store as a test needs it slow or failing, at the network layer.
 */
export interface StoreGate {
  readonly url: string;
  /** Booking writes seen (held, failed or passed). */
  readonly transactions: () => number;
  /** Holds every TransactWriteItems from now on until `release`. */
  hold(): void;
  /** Resolves once `count` calls are held. */
  held(count: number): Promise<void>;
  /** Lets the held calls (and the later ones) through. */
  release(): void;
  /** Fails the next `count` TransactWriteItems calls. */
  failNext(count: number): void;
  close(): Promise<void>;
}

const TRANSACT = 'DynamoDB_20120810.TransactWriteItems';
const PUT = 'DynamoDB_20120810.PutItem';

/** A booking write: a transaction, or the PutItem of a request record (`REQ#<id>`, lambdas/ledger/ledger-items.ts). */
const isBooking = (target: string | string[] | undefined, body: Buffer): boolean =>
  target === TRANSACT || (target === PUT && /"pk":\{"S":"REQ#/.test(body.toString('utf8')));

export async function startStoreGate(target: string): Promise<StoreGate> {
  const upstream = new URL(target);
  let holding = false;
  let failing = 0;
  let transactions = 0;
  let queue: (() => void)[] = [];
  let watchers: { count: number; resolve: () => void }[] = [];
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
    const out = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!isBooking(req.headers['x-amz-target'], body)) return forward(req, body, res);
      transactions += 1;
      if (failing > 0) {
        failing -= 1;
        const text = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' });
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' }).end(text);
        return;
      }
      if (!holding) return forward(req, body, res);
      queue.push(() => forward(req, body, res));
      watchers = watchers.filter((w) => (queue.length >= w.count ? (w.resolve(), false) : true));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    transactions: () => transactions,
    hold: () => {
      holding = true;
    },
    held: (count) =>
      queue.length >= count ? Promise.resolve() : new Promise((resolve) => watchers.push({ count, resolve })),
    release: () => {
      holding = false;
      const waiting = queue;
      queue = [];
      for (const go of waiting) go();
    },
    failNext: (count) => {
      failing = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
