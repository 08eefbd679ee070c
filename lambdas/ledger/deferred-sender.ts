import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVALUATION_BUS_ENV } from '../observability/evaluation/evaluation-sinks.js';
import { DEFERRED_DETAIL_TYPE, DEFERRED_SOURCE, type DeferredDetail } from './deferred-event.js';
import type { Booking } from './ledger-store.js';

/** Where a booking the store kept refusing goes. Resolves once it is stored there, rejects when it is not. */
export type DeferBooking = (booking: Booking) => Promise<void>;

let client: EventBridgeClient | undefined;

/**
 * PutEvents of one LedgerBookingDeferred event on the gateway's bus (the stack's, whose name the chat function
 * learns from EVALUATION_BUS_NAME; AWS_ENDPOINT_URL_EVENTBRIDGE points the SDK elsewhere, as the tests do). A refused
 * entry (FailedEntryCount) is a failure. Undefined without a bus (locally the journal keeps bookings instead).
 */
export function deferredSender(env: NodeJS.ProcessEnv = process.env): DeferBooking | undefined {
  const bus = env[EVALUATION_BUS_ENV];
  if (bus === undefined || bus === '') return undefined;
  return async (booking) => {
    // Imported on the first send: a chunk of its own in the bundle, nothing of it evaluated at init.
    const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    client ??= new EventBridgeClient({ maxAttempts: 3 });
    const detail: DeferredDetail = { version: 1, booking };
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: DEFERRED_SOURCE,
            DetailType: DEFERRED_DETAIL_TYPE,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    if ((output.FailedEntryCount ?? 0) > 0) {
      const entry = output.Entries?.[0];
      throw new Error(`PutEvents refused the booking: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`);
    }
  };
}
