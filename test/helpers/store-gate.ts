import { startStoreInterposer } from './store-interposer.js';

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
const isBooking = (target: string, body: Buffer): boolean =>
  target === TRANSACT || (target === PUT && /"pk":\{"S":"REQ#/.test(body.toString('utf8')));

export async function startStoreGate(target: string): Promise<StoreGate> {
  let holding = false;
  let failing = 0;
  let transactions = 0;
  let queue: (() => void)[] = [];
  let watchers: { count: number; resolve: () => void }[] = [];
  const interposer = await startStoreInterposer(target, (call) => {
    if (!isBooking(call.target, call.body)) return call.forward();
    transactions += 1;
    if (failing > 0) {
      failing -= 1;
      return call.fail();
    }
    if (!holding) return call.forward();
    queue.push(() => call.forward());
    watchers = watchers.filter((w) => (queue.length >= w.count ? (w.resolve(), false) : true));
  });
  return {
    url: interposer.url,
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
    close: () => interposer.close(),
  };
}
