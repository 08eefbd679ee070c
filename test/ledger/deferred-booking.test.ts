import { bookDurably } from '../../lambdas/ledger/deferred-booking.js';
import { bookingOfDetail } from '../../lambdas/ledger/deferred-event.js';
import type { Ledger } from '../../lambdas/ledger/ledger-journal.js';
import type { Booking } from '../../lambdas/ledger/ledger-store.js';
import { DEFER_MARGIN_MS } from '../../lambdas/runtime/deadline.js';

// A booking made durable after the response: written, retried with backoff while the invocation has time, and when
// every try failed, deferred (to the bus) — or, with nowhere to defer, its last error thrown for the caller to log.

const booking: Booking = {
  entry: {
    id: 'req_deferred1',
    requestId: 'r1',
    tenant: 't1',
    keyId: 'k1',
    plan: 'default',
    alias: 'a',
    provider: 'p',
    model: 'm',
    status: 200,
    stream: false,
    usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 },
    estimated: false,
    costMicros: 3,
    attempts: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
  },
};

/** A ledger that refuses the first `failures` writes. */
function flakyLedger(failures: number): Ledger & { tries: number; written: Booking[] } {
  const ledger = {
    tries: 0,
    written: [] as Booking[],
    record(b: Booking): Promise<void> {
      ledger.tries += 1;
      if (ledger.tries <= failures) return Promise.reject(new Error(`refused ${ledger.tries}`));
      ledger.written.push(b);
      return Promise.resolve();
    },
    drain: () => Promise.resolve(),
  };
  return ledger;
}

const fast = { baseDelayMs: 1 };

it('a write that fails twice is written on the third try, and nothing is deferred', async () => {
  const ledger = flakyLedger(2);
  const deferred: Booking[] = [];
  const retries: number[] = [];
  const how = await bookDurably(ledger, booking, {
    ...fast,
    defer: (b) => Promise.resolve(void deferred.push(b)),
    onRetry: (_err, attempt) => retries.push(attempt),
  });
  expect(how).toBe('booked');
  expect([ledger.tries, ledger.written.length, deferred.length]).toEqual([3, 1, 0]);
  expect(retries).toEqual([1, 2]);
});

it('a write that keeps failing is deferred after its tries, once', async () => {
  const ledger = flakyLedger(100);
  const deferred: Booking[] = [];
  const how = await bookDurably(ledger, booking, { ...fast, defer: (b) => Promise.resolve(void deferred.push(b)) });
  expect(how).toBe('deferred');
  expect(ledger.tries).toBe(4);
  expect(deferred).toEqual([booking]);
});

it('no retry when the invocation has no time left beyond the deferral margin: deferred at once', async () => {
  const ledger = flakyLedger(100);
  const deferred: Booking[] = [];
  const how = await bookDurably(ledger, booking, {
    ...fast,
    remainingMs: () => DEFER_MARGIN_MS,
    defer: (b) => Promise.resolve(void deferred.push(b)),
  });
  expect([how, ledger.tries, deferred.length]).toEqual(['deferred', 1, 1]);
});

it('with nowhere to defer, or a deferral that fails, the error is thrown (the caller logs the entry)', async () => {
  await expect(bookDurably(flakyLedger(100), booking, fast)).rejects.toThrow('refused 4');
  await expect(
    bookDurably(flakyLedger(100), booking, { ...fast, defer: () => Promise.reject(new Error('bus down')) }),
  ).rejects.toThrow('bus down');
});

it('the rebook function reads back the booking it was sent, and refuses a detail it cannot book', () => {
  const detail = JSON.parse(JSON.stringify({ version: 1, booking })) as unknown;
  expect(bookingOfDetail(detail)).toEqual(booking);
  expect(() => bookingOfDetail({ version: 2, booking })).toThrow('version 1');
  expect(() => bookingOfDetail({ version: 1 })).toThrow('no booking entry');
  expect(() => bookingOfDetail({ version: 1, booking: { entry: { ...booking.entry, tenant: '' } } })).toThrow(
    'no tenant',
  );
});
