import type { Context } from 'aws-lambda';

/**
 * Time kept back from the invocation's remaining time for a request its deadline cut: its error event, the ledger
 * transaction (with the SDK's retries, then the booking's own, then its deferral to the bus: ledger/deferred-booking.ts)
 * that books it and settles its quota reservation, its metrics. A deadline
 * closer to the function's own end would let Lambda kill the request unbooked, its reservation held.
 */
export const BOOKING_MARGIN_MS = 5_000;

/**
 * A request's deadline, in ms from now: the configured `requestMs`, cut to the invocation's remaining time less
 * BOOKING_MARGIN_MS (never below 0: then it passes at once). Without a Lambda context that knows its remaining time,
 * `requestMs` as is.
 */
export function requestDeadlineMs(
  requestMs: number,
  context: Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined,
): number {
  if (typeof context?.getRemainingTimeInMillis !== 'function') return requestMs;
  const remaining = context.getRemainingTimeInMillis();
  if (!Number.isFinite(remaining)) return requestMs;
  return Math.max(0, Math.min(requestMs, remaining - BOOKING_MARGIN_MS));
}

/**
 * Of that margin, what a booking's retries leave for sending it to the bus when they all failed (deferred-booking.ts):
 * the retries stop when the invocation has no more than this left beyond their next wait.
 */
export const DEFER_MARGIN_MS = 1_000;
