import { setTimeout as sleep } from 'node:timers/promises';
import { countMetric } from '../observability/emf-metrics.js';
import { DEFER_MARGIN_MS } from '../runtime/deadline.js';
import type { DeferBooking } from './deferred-sender.js';
import type { Ledger } from './ledger-journal.js';
import type { Booking } from './ledger-store.js';

/** A booking write that fails is tried this often in all, backing off from `baseDelayMs` (doubling, jittered). */
export const BOOKING_RETRY = { attempts: 4, baseDelayMs: 100 } as const;

/** The count (EMF) of bookings sent to the bus because the store kept refusing them within their invocation. */
export const LEDGER_DEFERRED_METRIC = 'LedgerBookingsDeferred';

export interface DurableBookingOptions {
  /** The invocation's remaining time in ms (Lambda's context); unbounded without one. */
  readonly remainingMs?: (() => number) | undefined;
  /** Where the booking goes when every try failed (deferred-sender.ts); without one the last error is thrown. */
  readonly defer?: DeferBooking | undefined;
  /** Told of each failed try that will be tried again. */
  readonly onRetry?: ((err: unknown, attempt: number) => void) | undefined;
  readonly attempts?: number;
  readonly baseDelayMs?: number;
}

/**
 * Makes one booking durable: written by the ledger (`record`; a record already there counts once, so a retry after
 * a write that landed unseen does not double it), retried with backoff while the invocation has time left for the
 * wait plus DEFER_MARGIN_MS, and when every try failed, deferred (the LedgerBookingDeferred event, re-booked by the
 * ledger-rebook function with the same conditional record) and counted. Answers how it ended; throws when the
 * deferral failed too (or there is none): the caller then logs the entry, the last place it is kept.
 */
export async function bookDurably(
  ledger: Ledger,
  booking: Booking,
  options: DurableBookingOptions = {},
): Promise<'booked' | 'deferred'> {
  const attempts = options.attempts ?? BOOKING_RETRY.attempts;
  const base = options.baseDelayMs ?? BOOKING_RETRY.baseDelayMs;
  let failure: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      await ledger.record(booking);
      return 'booked';
    } catch (err) {
      failure = err;
    }
    // Half to all of base·2^(n-1): tries of concurrent instances do not meet again.
    const delay = base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
    const remaining = options.remainingMs?.() ?? Number.POSITIVE_INFINITY;
    if (attempt >= attempts || remaining - DEFER_MARGIN_MS < delay) break;
    options.onRetry?.(failure, attempt);
    await sleep(delay);
  }
  if (options.defer === undefined) throw failure;
  await options.defer(booking);
  countMetric(LEDGER_DEFERRED_METRIC, {});
  return 'deferred';
}
