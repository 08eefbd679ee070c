import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { requestLog } from '../core/request-log.js';
import { bookingOfDetail } from '../ledger/deferred-event.js';
import { ledger } from '../ledger/runtime.js';

/**
 * Invoked by the rule on the gateway's bus for each LedgerBookingDeferred event (a booking the chat function could
 * not write within its invocation, ledger/deferred-booking.ts): writes it through the ledger with the same
 * conditional record, so an event delivered twice, or a booking that had landed after all, counts once. A failure
 * throws: Lambda retries the event, then sends it to the dead-letter queue (lib/ledger-rebook.ts), whose alarm tells
 * an operator. A detail it cannot read is refused the same way, never half-written.
 */
export const handler = middy<EventBridgeEvent<string, unknown>, void, Error, Context>().handler(
  async (event, context) => {
    const log = requestLog(context.awsRequestId, context.awsRequestId);
    const booking = bookingOfDetail(event.detail);
    await (await ledger()).record(booking);
    log.info('deferred booking written', { ledgerId: booking.entry.id, tenant: booking.entry.tenant });
  },
);
