import type { Booking } from './ledger-store.js';

/**
 * A booking the store kept refusing within its invocation, sent to the gateway's bus instead (deferred-sender.ts):
 * a rule there invokes the ledger-rebook function (lambdas/handlers/ledger-rebook.ts), which writes it with the
 * same conditional record, so a booking that did land after all counts once. Its own source, so rules on the bus's
 * evaluation events (source `llm-gateway`) never see it.
 */
export const DEFERRED_SOURCE = 'llm-gateway.ledger';
export const DEFERRED_DETAIL_TYPE = 'LedgerBookingDeferred';

/** The event's detail: a version, so the rebook function can refuse a shape it does not know. */
export interface DeferredDetail {
  readonly version: 1;
  readonly booking: Booking;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The booking an event's detail carries, checked for what the record's key and condition need (an id, a tenant, a
 * key, a creation time; a quota settle is an object): anything else is refused with the reason, never half-written.
 */
export function bookingOfDetail(detail: unknown): Booking {
  if (!isRecord(detail) || detail.version !== 1) throw new Error('not a version 1 LedgerBookingDeferred detail');
  const booking = detail.booking;
  if (!isRecord(booking) || !isRecord(booking.entry)) throw new Error('the detail carries no booking entry');
  const { entry, quota } = booking;
  for (const field of ['id', 'tenant', 'keyId', 'createdAt'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') throw new Error(`the booking's entry has no ${field}`);
  }
  if (quota !== undefined && !isRecord(quota)) throw new Error("the booking's quota settle is not an object");
  return booking as unknown as Booking;
}
