import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import { LedgerWriter } from '../../lambdas/ledger/ledger-writer.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { readScopeUsage } from '../../lambdas/quota/quota-items.js';
import { QuotaStore } from '../../lambdas/quota/quota-store.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';
import { bookedEntry } from '../helpers/ledger-entry.js';

// Group commit: concurrent bookings go out as a few merged transactions, each caller resolved once its booking is
// durable; a batch refused as a whole falls back to one transaction per booking, so one bad booking fails alone.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
let ids = 0;
const entry = (tenant: string, over: Partial<LedgerEntry> = {}): LedgerEntry => {
  const id = `req_writer${String((ids += 1)).padStart(10, '0')}`;
  return bookedEntry(id, {
    tenant,
    keyId: `key_${ids % 3}`,
    alias: ids % 2 === 0 ? 'fast' : 'smart',
    createdAt: new Date(NOW).toISOString(),
    ...over,
  });
};

const totalsOf = async (tenant: string) => {
  const rows = await readUsage(db.client(), db.table, tenant, '2026-11-27', '2026-11-27');
  return rows.reduce(
    (sum, r) => ({
      requests: sum.requests + r.requests,
      tokens: sum.tokens + r.inputTokens + r.outputTokens,
      cost: sum.cost + r.costMicros,
    }),
    { requests: 0, tokens: 0, cost: 0 },
  );
};

it('200 concurrent bookings with quota settles: all counted once, in far fewer transactions, quota equal to the ledger', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const writer = new LedgerWriter(new LedgerStore(db.client(), db.table));
  const scope = { kind: 'tenant' as const, pk: 'QUOTA#TENANT#w-many', limits: { tokensPerMonth: 1_000_000 } };
  const reservations = await Promise.all(
    Array.from({ length: 200 }, () => quotas.reserve([scope], { tokens: 40, micros: 20 }, NOW + 120_000)),
  );
  await Promise.all(
    reservations.map(({ reservation }) =>
      writer.record({ entry: entry('w-many'), quota: { reservation, actual: { tokens: 15, micros: 7 } } }),
    ),
  );
  expect(await totalsOf('w-many')).toEqual({ requests: 200, tokens: 3_000, cost: 1_400 });
  expect(writer.stats.bookings).toBe(200);
  expect(writer.stats.transactions).toBeLessThan(50);
  // Used as a reservation reads it (the quota item and its settle items): the actuals, the reservations settled.
  const used = await readScopeUsage(db.client(), db.table, scope.pk, '2026-11');
  expect([used.tokens, used.micros]).toEqual([3_000, 1_400]);
});

it('a batch with an entry already recorded falls back to single bookings: the others count, the repeat does not', async () => {
  const store = new LedgerStore(db.client(), db.table);
  const repeated = entry('w-repeat');
  await store.record(repeated);
  const writer = new LedgerWriter(store);
  await Promise.all([
    writer.record({ entry: entry('w-repeat') }),
    writer.record({ entry: repeated }),
    writer.record({ entry: entry('w-repeat') }),
    writer.record({ entry: entry('w-repeat') }),
  ]);
  expect((await totalsOf('w-repeat')).requests).toBe(4);
});

it('a batch of records goes to the store as one call, and each record still reaches the counters once', async () => {
  const real = db.client();
  const sent: string[] = [];
  const counting = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return real.send(command as Parameters<typeof real.send>[0]);
    },
  } as unknown as typeof real;
  const writer = new LedgerWriter(new LedgerStore(counting, db.table));
  await Promise.all(Array.from({ length: 60 }, () => writer.record({ entry: entry('w-one-call') })));
  expect(await totalsOf('w-one-call')).toEqual({ requests: 60, tokens: 900, cost: 420 });
  // Booked in the same tick: one batch, one transaction of 60 conditional puts (not 60 PutItems).
  expect(sent).toEqual(['TransactWriteItemsCommand']);
});
