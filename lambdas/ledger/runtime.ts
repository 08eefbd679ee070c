import { logger } from '../core/logger.js';
import { countMetric } from '../observability/emf-metrics.js';
import { onClient } from '../store/client.js';
import { JournaledLedger, type Ledger } from './ledger-journal.js';
import { LedgerStore } from './ledger-store.js';
import { LedgerWriter } from './ledger-writer.js';

/** The count (EMF) of bookings the journal set aside: an alarm on it tells an operator to look at the dead letters. */
export const LEDGER_SET_ASIDE_METRIC = 'LedgerBookingsSetAside';

const writer = onClient((client, table) => new LedgerWriter(new LedgerStore(client, table)));
let journal: Promise<JournaledLedger> | undefined;

/**
 * Whether this process books through the write-ahead journal (GATEWAY_LEDGER_JOURNAL names a file): a booking is
 * durable once its line is appended, a local write, so it is made before the answer (a process killed after the
 * answer still has it); the store is written in the background.
 */
export function journaled(): boolean {
  const path = process.env.GATEWAY_LEDGER_JOURNAL;
  return path !== undefined && path !== '';
}

/**
 * The ledger of this process: the group-committing writer (a booking is durable when its transaction is), or, when
 * GATEWAY_LEDGER_JOURNAL names a file (the long-lived local server sets it), the write-ahead journal in front of it.
 * The first call with a journal replays what it holds.
 */
export function ledger(): Promise<Ledger> {
  const path = process.env.GATEWAY_LEDGER_JOURNAL;
  if (path === undefined || !journaled()) return Promise.resolve(writer());
  journal ??= JournaledLedger.open(
    writer(),
    path,
    (err) =>
      logger.error('a journaled booking did not reach the store', {
        error: err instanceof Error ? err.message : String(err),
      }),
    {
      onSetAside: (booking, err, file) => {
        logger.error('a booking the store keeps refusing was set aside in the dead-letter file', {
          ledgerId: booking.entry.id,
          tenant: booking.entry.tenant,
          file,
          error: err instanceof Error ? err.message : String(err),
        });
        countMetric(LEDGER_SET_ASIDE_METRIC, {});
      },
    },
  );
  return journal;
}

/** Waits until every booking is in the store, and closes the journal if there is one (shutdown). */
export async function closeLedger(): Promise<void> {
  if (journal === undefined) {
    await writer().drain();
    return;
  }
  const open = journal;
  journal = undefined;
  await (await open).close();
}
