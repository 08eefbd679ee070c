import type { Ledger } from './ledger-journal.js';
import { BatchSizer, type Booking, type LedgerStore } from './ledger-store.js';

interface Waiting {
  readonly booking: Booking;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit for the ledger: a booking is written at once when no write is in flight; bookings that arrive while
 * one is form the next batch, written together when it returns (LedgerStore.recordBatch: one conditional PutItem
 * per record, side by side; counters and quota settles follow from the records through the aggregator). Every caller
 * still waits until its booking is durable. A batch that fails is retried booking by booking, each with
 * LedgerStore.record's own handling (a record already there counts once); an error there fails that booking only.
 * In Lambda an instance serves one request at a time, so batches are of one; locally and under concurrency they grow.
 */
export class LedgerWriter implements Ledger {
  private queue: Waiting[] = [];
  private flushing = false;
  private scheduled = false;
  private drained: (() => void)[] = [];
  /** Transactions sent, and bookings written (for the tests' and the bench's arithmetic). */
  readonly stats = { transactions: 0, bookings: 0 };

  constructor(private readonly store: LedgerStore) {}

  record(booking: Booking): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ booking, resolve, reject });
      // Start after the current task: bookings made in the same tick go out as one batch.
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          if (!this.flushing) void this.flush();
        });
      }
    });
  }

  drain(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.write(batch);
      }
    } finally {
      this.flushing = false;
      for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /** The oldest bookings that fit one transaction. */
  private takeBatch(): Waiting[] {
    const sizer = new BatchSizer();
    let size = 0;
    for (const waiting of this.queue) {
      if (!sizer.tryAdd(waiting.booking)) break;
      size += 1;
    }
    return this.queue.splice(0, size);
  }

  private async write(batch: readonly Waiting[]): Promise<void> {
    if (batch.length > 1) {
      try {
        this.stats.transactions += 1;
        await this.store.recordBatch(batch.map((w) => w.booking));
        this.stats.bookings += batch.length;
        batch.forEach((w) => w.resolve());
        return;
      } catch {
        // Refused or failed as a whole: each booking alone below, so one cannot fail the others.
      }
    }
    await Promise.all(
      batch.map(async (w) => {
        try {
          this.stats.transactions += 1;
          await this.store.record(w.booking.entry, w.booking.quota);
          this.stats.bookings += 1;
          w.resolve();
        } catch (err) {
          w.reject(err);
        }
      }),
    );
  }
}
