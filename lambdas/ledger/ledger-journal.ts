import { appendFileSync, closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Booking } from './ledger-store.js';

/** What books a request: the group-committing writer, or the journal in front of it. */
export interface Ledger {
  /** Resolves once the booking is durable. */
  record(booking: Booking): Promise<void>;
  /** Resolves once every booking accepted so far is in the store. */
  drain(): Promise<void>;
}

/** A booking the store refuses is retried this often, this long apart, then set aside (see JournaledLedger). */
export const JOURNAL_RETRY = { attempts: 5, delayMs: 1_000 } as const;
/**
 * Bookings wait this long in the journal before going to the store together (their clients do not wait for it).
 * Each store batch has a fixed cost (the transaction, the counters and quota settles it updates) that a wider window
 * spreads over more bookings: from 10 to 100 ms, gateway CPU per request fell by about a third in `npm run bench`.
 */
export const JOURNAL_BATCH_MS = 100;
/** A window is released early once this many bookings wait (several full transactions of records). */
export const JOURNAL_BATCH_MAX = 400;

/** Hooks and limits of a journal (the defaults: JOURNAL_RETRY, and the dead-letter file beside the journal). */
interface JournalOptions {
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  /** Told of a booking set aside, after it is in the dead-letter file. */
  readonly onSetAside?: (booking: Booking, err: unknown, file: string) => void;
}

/** Where a journal at `path` sets aside the bookings the store keeps refusing: `<name>.dead.jsonl` beside it. */
export const deadLetterPath = (path: string): string => `${path.replace(/\.jsonl$/, '')}.dead.jsonl`;

/**
 * A write-ahead journal for a long-lived local gateway (`npm start`), in front of the ledger writer: a booking is
 * durable once its line is appended to the journal file (one write(2); the OS holds it even if the process is
 * killed, as LevelDB's own log does), and is written to the store right after, in the background, batched by the
 * writer. The journal is replayed at start (a booking already in the store counts once: its record's condition) and
 * emptied whenever every booking in it has reached the store. Readers of the store (usage, quotas) see a booking
 * a few milliseconds after its client did.
 *
 * A booking the store keeps refusing (JOURNAL_RETRY.attempts tries, e.g. an item the store cannot take) is set aside:
 * its line goes to the dead-letter file (`{"at","error","booking"}`; re-booked by appending its `booking` to the
 * journal), it is no longer pending, and `onSetAside` tells the operator. So one bad booking blocks neither the others,
 * nor the journal's truncation, nor shutdown (close), nor the next start (replay).
 *
 * Only where the process outlives its requests and owns a disk: never in Lambda, whose instance and /tmp may vanish
 * with the request — there a booking is the store's transaction itself (LedgerWriter), written after the response
 * and before the invocation resolves, retried, and deferred to the bus when the store keeps refusing it
 * (deferred-booking.ts).
 */
export class JournaledLedger implements Ledger {
  private fd: number | undefined;
  private pending = 0;
  private batch: Booking[] = [];
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  private constructor(
    private readonly writer: Ledger,
    private readonly path: string,
    private readonly onError: (err: unknown) => void,
    private readonly options: JournalOptions,
  ) {}

  /** Opens the journal at `path`, first booking what it still holds (a previous run's unfinished bookings). */
  static async open(
    writer: Ledger,
    path: string,
    onError: (err: unknown) => void,
    options: JournalOptions = {},
  ): Promise<JournaledLedger> {
    const journal = new JournaledLedger(writer, path, onError, options);
    let left: Booking[] = [];
    try {
      left = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Booking];
          } catch {
            return []; // a line cut by a crash: its client never got an answer
          }
        });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    journal.fd = openSync(path, 'a');
    for (const booking of left) journal.book(booking);
    await journal.drain();
    return journal;
  }

  record(booking: Booking): Promise<void> {
    if (this.fd === undefined) return Promise.reject(new Error('the ledger journal is closed'));
    writeSync(this.fd, `${JSON.stringify(booking)}\n`);
    // Durable now; to the store within JOURNAL_BATCH_MS, with the others of that window, as one batch.
    this.pending += 1;
    this.batch.push(booking);
    if (this.batch.length >= JOURNAL_BATCH_MAX) this.release();
    else this.timer ??= setTimeout(() => this.release(), JOURNAL_BATCH_MS);
    return Promise.resolve();
  }

  drain(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Drains, then closes the file. */
  async close(): Promise<void> {
    this.release();
    await this.drain();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Hands the waiting bookings to the writer (which batches what arrives in one tick). */
  private release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const booking of this.batch.splice(0)) this.store(booking);
  }

  /** Writes a booking to the store, retrying a bounded number of times (it is safe in the journal meanwhile). */
  private book(booking: Booking): void {
    this.pending += 1;
    this.store(booking);
  }

  /**
   * Hands a booking to the writer. The usual case, accepted at the first try, costs one `then` with the journal's
   * own callback (no closure or async frame per booking: every request books); a refusal goes on in `retry`.
   */
  private store(booking: Booking): void {
    let written: Promise<void>;
    try {
      written = this.writer.record(booking);
    } catch (err) {
      void this.retry(booking, err);
      return;
    }
    written.then(this.stored, (err: unknown) => this.retry(booking, err));
  }

  /** After a refusal: told, then tried again JOURNAL_RETRY.delayMs apart, up to `attempts` tries in all, then set aside. */
  private async retry(booking: Booking, refusal: unknown): Promise<void> {
    const attempts = this.options.attempts ?? JOURNAL_RETRY.attempts;
    let err = refusal;
    for (let tries = 1; ; tries++) {
      this.onError(err);
      if (tries >= attempts) {
        this.setAside(booking, err);
        break;
      }
      await sleep(this.options.retryDelayMs ?? JOURNAL_RETRY.delayMs);
      try {
        await this.writer.record(booking);
        break;
      } catch (again) {
        err = again;
      }
    }
    this.stored();
  }

  /** A booking is in the store (or set aside): once none is pending, the journal starts afresh. */
  private readonly stored = (): void => {
    this.pending -= 1;
    if (this.pending > 0) return;
    // Everything in the journal is in the store: start it afresh (O_APPEND writes go to the new end).
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
    for (const resolve of this.idle.splice(0)) resolve();
  };

  /** Moves a booking the store keeps refusing to the dead-letter file (appended in one write), then tells. */
  private setAside(booking: Booking, err: unknown): void {
    const file = deadLetterPath(this.path);
    const error = err instanceof Error ? err.message : String(err);
    const line = JSON.stringify({ at: new Date().toISOString(), error, booking });
    try {
      appendFileSync(file, `${line}\n`);
    } catch (writeErr) {
      // No dead-letter file (disk full…): the booking goes to the error log whole, rather than hold everything up.
      this.onError(
        new Error(
          `the dead-letter file ${file} could not be written (${writeErr instanceof Error ? writeErr.message : String(writeErr)}); the booking: ${line}`,
        ),
      );
    }
    this.options.onSetAside?.(booking, err, file);
  }
}
