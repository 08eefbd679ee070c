import type { DynamoDBClient } from '../lambdas/aws-http/dynamodb.js';
import { readLedgerRecords } from '../lambdas/ledger/ledger-records.js';
import { readUsage } from '../lambdas/ledger/usage-reader.js';
import { allSubItemPks, readQuotaItems } from '../lambdas/quota/quota-items.js';
import { bucketsOf } from '../lambdas/quota/quota-periods.js';
import { readNumber } from '../lambdas/store/attributes.js';
import type { ReservationAmount } from '../lambdas/quota/reservation-amount.js';

/** The simulation's totals against its records: counters = sum of records, quota used = sum of their actual usage. */
export interface TotalsCheck {
  readonly records: number;
  readonly counterRequests: number;
  readonly recordCostMicros: number;
  readonly counterCostMicros: number;
  readonly recordTokens: number;
  /** Settled: over the quota sub-items, their settle items' actuals plus what their quota items hold outside open buckets. */
  readonly quotaUsedTokens: number;
  readonly ok: boolean;
}

export async function checkTotals(
  client: DynamoDBClient,
  table: string,
  tenant: string,
  quotaPk: string,
  actual: ReservationAmount,
): Promise<TotalsCheck> {
  const days = ['2026-12-06', '2026-12-07'];
  const records = (await Promise.all(days.map((day) => readLedgerRecords(client, table, tenant, day)))).flat();
  const rows = await readUsage(client, table, tenant, days[0]!, days[1]!);
  const recordCostMicros = records.reduce((sum, r) => sum + (readNumber(r, 'costMicros') ?? 0), 0);
  const recordTokens = records.reduce(
    (sum, r) => sum + (readNumber(r, 'inputTokens') ?? 0) + (readNumber(r, 'outputTokens') ?? 0),
    0,
  );
  let quotaUsedTokens = 0;
  for (const pk of allSubItemPks(quotaPk)) {
    const { quota, settles } = await readQuotaItems(client, table, pk, '2026-12');
    const item = quota ?? {};
    const open = bucketsOf(Object.keys(item)).reduce((sum, b) => sum + (readNumber(item, `rt${b}`) ?? 0), 0);
    quotaUsedTokens += (readNumber(item, 'tokens') ?? 0) - open;
    quotaUsedTokens += settles.reduce((sum, settle) => sum + (readNumber(settle, 'tokens') ?? 0), 0);
  }
  const counterRequests = rows.reduce((sum, r) => sum + r.requests, 0);
  const counterCostMicros = rows.reduce((sum, r) => sum + r.costMicros, 0);
  return {
    records: records.length,
    counterRequests,
    recordCostMicros,
    counterCostMicros,
    recordTokens,
    quotaUsedTokens,
    ok:
      counterRequests === records.length &&
      counterCostMicros === recordCostMicros &&
      quotaUsedTokens === records.length * actual.tokens,
  };
}
