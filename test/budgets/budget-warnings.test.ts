import { budgetEventSender, type BudgetWarningDetail } from '../../lambdas/budgets/budget-event.js';
import { thresholdCrossings, warningExpiry } from '../../lambdas/budgets/budget-thresholds.js';
import { BudgetWarnings } from '../../lambdas/budgets/budget-warnings.js';
import { quotasSchema } from '../../lambdas/config/quotas-schema.js';
import type { RequestLog } from '../../lambdas/core/request-log.js';
import type { QuotaScope } from '../../lambdas/quota/quota-scopes.js';
import { QuotaStore } from '../../lambdas/quota/quota-store.js';
import { startFakeEventBridge, type FakeEventBridge } from '../fakes/fake-eventbridge.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// Budget warnings: a threshold of a scope's limit reached in a period is claimed in the store and published once,
// however many requests (in however many instances) see it; each threshold and each period has its own warning.
const BUS = 'budget-bus';
let db: EmbeddedTable;
let bus: FakeEventBridge;
beforeAll(async () => {
  db = await embeddedTable();
  bus = await startFakeEventBridge();
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.url;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  await Promise.all([db.close(), bus.close()]);
});

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
const WARN_AT = [0.8, 1];
let n = 0;
const tenantScope = (limits: QuotaScope['limits']): QuotaScope => ({
  kind: 'tenant',
  pk: `QUOTA#TENANT#budget${(n += 1)}`,
  limits,
});
const lines: { message: string; attributes: unknown }[] = [];
const log: RequestLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, attributes?: unknown) => {
    lines.push({ message, attributes });
  },
  error: () => undefined,
  line: () => undefined,
};
const owner = { tenant: 'acme', keyId: 'key1' };

/** One gateway instance: its own store client, quota store (clock `now`) and warnings (memo). */
function instance(now = (): number => NOW) {
  const client = db.client();
  const store = new QuotaStore(client, db.table, now);
  const warnings = new BudgetWarnings(client, db.table, budgetEventSender({ EVALUATION_BUS_NAME: BUS }));
  return {
    async request(scopes: QuotaScope[], tokens: number): Promise<void> {
      const { reservation } = await store.reserve(scopes, { tokens, micros: 0 }, now() + 60_000);
      const crossings = warnings.unseen(thresholdCrossings(reservation, WARN_AT));
      await warnings.warn(owner, crossings, log);
    },
  };
}
/** The warnings on the bus since the test began. */
const published = (): BudgetWarningDetail[] =>
  bus.entries
    .filter((e) => e.Source === 'llm-gateway.budget' && e.DetailType === 'BudgetThresholdReached')
    .map((e) => JSON.parse(e.Detail ?? '{}') as BudgetWarningDetail);

beforeEach(() => {
  bus.entries.length = 0;
  lines.length = 0;
});

it('below the threshold nothing is published', async () => {
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  await instance().request([scope], 799);
  expect(published()).toEqual([]);
  expect(lines).toEqual([]);
});

it('crossing 80% publishes once, with concurrent requests in several instances, and logs it', async () => {
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  const first = instance();
  await first.request([scope], 700);
  const others = [instance(), instance(), instance()];
  await Promise.all([...others, first].flatMap((i) => [i.request([scope], 30), i.request([scope], 30)]));
  expect(published()).toEqual([
    {
      tenant: 'acme',
      scope: 'tenant',
      dimension: 'tokensPerMonth',
      threshold: 0.8,
      period: '2026-11',
      used: expect.any(Number) as number,
      limit: 1_000,
    },
  ]);
  expect(bus.entries[0]?.EventBusName).toBe(BUS);
  expect(lines.filter((l) => l.message === 'budget threshold reached')).toHaveLength(1);
  // A fresh instance (no memo) past 80% still does not publish it again.
  await instance().request([scope], 1);
  expect(published()).toHaveLength(1);
});

it('100% publishes its own warning; a jump past both thresholds publishes both', async () => {
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  const one = instance();
  await one.request([scope], 850);
  await one.request([scope], 150);
  expect(published().map((d) => d.threshold)).toEqual([0.8, 1]);
  const jump = tenantScope({ tokensPerMonth: 1_000 });
  await one.request([jump], 1_000);
  expect(published().map((d) => d.threshold)).toEqual([0.8, 1, 0.8, 1]); // the first scope's, then the jump's
});

it('the next period publishes again; day and key limits have their own warnings', async () => {
  const scope = tenantScope({ tokensPerDay: 100 });
  await instance(() => NOW).request([scope], 90);
  await instance(() => NOW + 3_600_000).request([scope], 1);
  await instance(() => NOW + 86_400_000).request([scope], 90);
  expect(published().map((d) => [d.dimension, d.period])).toEqual([
    ['tokensPerDay', '2026-11-27'],
    ['tokensPerDay', '2026-11-28'],
  ]);
  const key: QuotaScope = { kind: 'key', pk: `QUOTA#KEY#budget${(n += 1)}`, limits: { usdPerMonth: 1 } };
  const { reservation } = await new QuotaStore(db.client(), db.table, () => NOW).reserve(
    [key],
    { tokens: 1, micros: 900_000 },
    NOW + 60_000,
  );
  expect(thresholdCrossings(reservation, WARN_AT)).toEqual([
    expect.objectContaining({ dimension: 'usdPerMonth', period: '2026-11', threshold: 0.8, used: 0.9, limit: 1 }),
  ]);
  expect(thresholdCrossings(reservation, [])).toEqual([]);
});

it('a warning is claimed until a day after its period (TTL)', () => {
  expect(warningExpiry('2026-11')).toBe(Date.parse('2026-12-02T00:00:00Z') / 1000);
  expect(warningExpiry('2026-11-30')).toBe(Date.parse('2026-12-02T00:00:00Z') / 1000);
});

it('quotas.warnAt: [0.8, 1] by default, [] turns warnings off, fractions must be positive', () => {
  const limits = { tenant: { tokensPerDay: 10 } };
  expect(quotasSchema.parse(limits).warnAt).toEqual([0.8, 1]);
  expect(quotasSchema.parse({ ...limits, warnAt: [] }).warnAt).toEqual([]);
  expect(quotasSchema.safeParse({ ...limits, warnAt: [0] }).success).toBe(false);
});
