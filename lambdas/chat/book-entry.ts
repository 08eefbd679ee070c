import { GatewayError } from '../core/errors.js';
import type { LedgerEntry } from '../ledger/ledger-entry.js';
import { bookDurably } from '../ledger/deferred-booking.js';
import { deferredSender } from '../ledger/deferred-sender.js';
import { ledger } from '../ledger/runtime.js';
import type { Books } from './chat-scope.js';
import type { GatewayRequest } from '../runtime/types.js';

/** The usage could not be recorded: the answer is withheld rather than reported unrecorded. */
export const ledgerUnavailable = (): GatewayError =>
  new GatewayError({
    code: 'ledger_unavailable',
    message: 'The request was served but its usage could not be recorded, so its answer is withheld. Retry later.',
  });

/**
 * Books one request's entry with the settle of its quota reservation (after the reservation's housekeeping), made
 * durable by bookDurably: written, retried within the invocation's remaining time, or deferred to the bus. Answers
 * whether it is kept. When it is not, the entry goes to the error log (for reconciliation) and, where the client is
 * still waiting (`inline`), ledgerUnavailable is thrown: its answer is withheld.
 */
export async function bookEntry(
  gateway: GatewayRequest,
  books: Books,
  booked: { entry: LedgerEntry; tokens: number },
  inline: boolean,
): Promise<boolean> {
  const { entry, tokens } = booked;
  const hold = books.hold;
  try {
    if (hold !== undefined) await hold.cleanup;
    const quota =
      hold === undefined
        ? undefined
        : { reservation: hold.reservation, actual: { tokens, micros: entry.costMicros ?? 0 } };
    const context = gateway.lambdaContext as Partial<typeof gateway.lambdaContext> | undefined;
    const remaining = context?.getRemainingTimeInMillis;
    const kept = await bookDurably(await ledger(), quota === undefined ? { entry } : { entry, quota }, {
      remainingMs: typeof remaining === 'function' ? () => remaining.call(context) : undefined,
      defer: deferredSender(),
      onRetry: (err, attempt) =>
        gateway.log.warn('ledger write failed; trying again', {
          ledgerId: entry.id,
          attempt,
          error: err instanceof Error ? err.message : String(err),
        }),
    });
    if (kept === 'deferred')
      gateway.log.warn('ledger write kept failing; the booking was deferred to the bus', { ledgerId: entry.id });
    return true;
  } catch (err) {
    gateway.log.error('ledger write failed; the entry follows for reconciliation', {
      entry,
      error: err instanceof Error ? err.message : String(err),
    });
    if (inline) throw ledgerUnavailable();
    return false;
  }
}
