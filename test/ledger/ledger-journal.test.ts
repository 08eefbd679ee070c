import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from '../../lambdas/ledger/ledger-journal.js';
import { deadLetterPath, JOURNAL_BATCH_MAX, JournaledLedger } from '../../lambdas/ledger/ledger-journal.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { LedgerStore, type Booking } from '../../lambdas/ledger/ledger-store.js';
import { LedgerWriter } from '../../lambdas/ledger/ledger-writer.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';
import { tempDir } from '../helpers/tmp.js';

// The write-ahead journal of the long-lived local server: a booking is durable once its line is written; it reaches
// the store right after; what a killed process left is booked at the next start, once, and the journal empties.
let db: EmbeddedTable;
const dir = tempDir('ledger-journal');
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(async () => {
  await db.close();
  dir.remove();
});

let n = 0;
const entry = (tenant: string): LedgerEntry => ({
  id: `req_journal${(n += 1)}`,
  requestId: 'r',
  tenant,
  keyId: 'k',
  plan: 'p',
  alias: 'a',
  provider: 'openai',
  model: 'm',
  status: 200,
  stream: false,
  usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 },
  estimated: false,
  costMicros: 5,
  attempts: 1,
  createdAt: '2026-11-27T10:00:00.000Z',
});
const requestsOf = async (tenant: string) =>
  (await readUsage(db.client(), db.table, tenant, '2026-11-27', '2026-11-27')).reduce(
    (sum, row) => sum + row.requests,
    0,
  );

/** A store that never answers: the state of a process killed before its bookings reached the store. */
const stuck: Ledger = { record: () => new Promise<void>(() => undefined), drain: () => Promise.resolve() };

it('a booking is in the journal when record() resolves, and in the store right after; then the journal empties', async () => {
  const path = join(dir.path, 'a.jsonl');
  const journal = await JournaledLedger.open(
    new LedgerWriter(new LedgerStore(db.client(), db.table)),
    path,
    () => undefined,
  );
  await journal.record({ entry: entry('j-live') });
  expect(readFileSync(path, 'utf8')).toContain('j-live');
  await journal.drain();
  expect(await requestsOf('j-live')).toBe(1);
  expect(readFileSync(path, 'utf8')).toBe('');
  await journal.close();
});

it('what a killed process left in the journal is booked at the next start, exactly once', async () => {
  const path = join(dir.path, 'b.jsonl');
  const killed = await JournaledLedger.open(stuck, path, () => undefined);
  const booked: Booking[] = [{ entry: entry('j-crash') }, { entry: entry('j-crash') }];
  for (const booking of booked) await killed.record(booking);
  // One of them had reached the store before the kill; the other had not.
  await new LedgerStore(db.client(), db.table).record(booked[0]!.entry);
  const restarted = await JournaledLedger.open(
    new LedgerWriter(new LedgerStore(db.client(), db.table)),
    path,
    () => undefined,
  );
  expect(await requestsOf('j-crash')).toBe(2);
  expect(readFileSync(path, 'utf8')).toBe('');
  await restarted.close();
});

it('a store failure is retried from the journal until the booking is in', async () => {
  const path = join(dir.path, 'c.jsonl');
  const store = new LedgerStore(db.client(), db.table);
  let failures = 0;
  const flaky: Ledger = {
    record: async (booking) => {
      if (failures < 1) {
        failures += 1;
        throw new Error('store unavailable');
      }
      await store.record(booking.entry);
    },
    drain: () => Promise.resolve(),
  };
  const errors: unknown[] = [];
  const journal = await JournaledLedger.open(flaky, path, (err) => errors.push(err));
  await journal.record({ entry: entry('j-retry') });
  await journal.drain();
  expect(errors).toHaveLength(1);
  expect(await requestsOf('j-retry')).toBe(1);
  await journal.close();
});

it('bookings wait for the window, unless enough of them wait to fill it', async () => {
  const path = join(dir.path, 'd.jsonl');
  const received: Booking[] = [];
  const counting: Ledger = { record: async (booking) => void received.push(booking), drain: () => Promise.resolve() };
  const journal = await JournaledLedger.open(counting, path, () => undefined);
  await journal.record({ entry: entry('j-window') });
  await Promise.resolve();
  expect(received).toHaveLength(0); // durable in the journal, not yet handed to the store
  for (let i = 1; i < JOURNAL_BATCH_MAX; i += 1) await journal.record({ entry: entry('j-window') });
  expect(received).toHaveLength(JOURNAL_BATCH_MAX); // the full window went at once, before its time
  await journal.close();
});

describe('a booking the store keeps refusing (issue 14, item 14)', () => {
  /** What a broken booking looked like: counts the store cannot take (NaN is null in the journal's JSON). */
  const refused = (tenant: string): Booking => {
    const e = entry(tenant);
    return { entry: { ...e, usage: { ...e.usage!, outputTokens: Number.NaN }, costMicros: Number.NaN } };
  };
  const deadLetters = (path: string): { error: string; booking: Booking }[] =>
    readFileSync(deadLetterPath(path), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { error: string; booking: Booking });

  it('is set aside after bounded retries, without blocking the others or close', async () => {
    const path = join(dir.path, 'dead-live.jsonl');
    const setAside: string[] = [];
    const journal = await JournaledLedger.open(
      new LedgerWriter(new LedgerStore(db.client(), db.table)),
      path,
      () => undefined,
      {
        attempts: 3,
        retryDelayMs: 10,
        onSetAside: (booking) => setAside.push(booking.entry.id),
      },
    );
    const bad = refused('j-dead');
    await journal.record(bad);
    await journal.record({ entry: entry('j-dead') });
    await journal.record({ entry: entry('j-dead') });
    await journal.close();
    expect(await requestsOf('j-dead')).toBe(2);
    expect(setAside).toEqual([bad.entry.id]);
    expect(deadLetters(path)).toEqual([
      expect.objectContaining({ booking: JSON.parse(JSON.stringify(bad)) as Booking, error: expect.any(String) }),
    ]);
    expect(readFileSync(path, 'utf8')).toBe(''); // the journal empties: nothing in it is still pending
  });

  it('left in the journal by a previous run, it does not stop the next start', async () => {
    const path = join(dir.path, 'dead-start.jsonl');
    const killed = await JournaledLedger.open(stuck, path, () => undefined);
    const bad = refused('j-dead-start');
    await killed.record(bad);
    await killed.record({ entry: entry('j-dead-start') });
    const restarted = await JournaledLedger.open(
      new LedgerWriter(new LedgerStore(db.client(), db.table)),
      path,
      () => undefined,
      {
        attempts: 2,
        retryDelayMs: 10,
      },
    );
    expect(await requestsOf('j-dead-start')).toBe(1);
    expect(deadLetters(path).map((line) => line.booking.entry.id)).toEqual([bad.entry.id]);
    expect(readFileSync(path, 'utf8')).toBe('');
    await restarted.close();
  });
});
