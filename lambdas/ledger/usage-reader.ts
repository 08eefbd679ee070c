import { QueryCommand, type DynamoDBClient } from '../aws-http/dynamodb.js';
import { readNumber, readString, s, type Item } from '../store/attributes.js';
import { counterBaseSk } from './ledger-shards.js';

export interface UsageTotals {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  readonly costMicros: number;
  readonly estimatedRequests: number;
  /** Requests with usage but no price for their model: costMicros leaves them out. */
  readonly unpricedRequests: number;
  readonly errors: number;
  /** Requests answered from the response cache (lambdas/cache), at no cost. */
  readonly cacheHits: number;
  /** Requests under a response cache that found no entry and went upstream (a no-cache bypass is neither). */
  readonly cacheMisses: number;
  /** What the hits would have cost at the price of their day, integer micro-dollars. */
  readonly savedMicros: number;
  /** Responses stored (POST /v1/responses with `store`), their DynamoDB item bytes and write units (storage-note.ts). */
  readonly storedResponses: number;
  readonly storedBytes: number;
  readonly storedWriteUnits: number;
}

export interface UsageRow extends UsageTotals {
  readonly day: string;
  readonly alias: string;
  readonly keyId: string;
  /** The upstream model that answered; '' when none did, and on counters written before models were counted. */
  readonly model: string;
  /** The key's plan; '' on counters written before plans were recorded. */
  readonly plan: string;
}

const COUNTERS = [
  'requests',
  'inputTokens',
  'outputTokens',
  'cachedTokens',
  'cacheWriteTokens',
  'costMicros',
  'estimatedRequests',
  'unpricedRequests',
  'errors',
  'cacheHits',
  'cacheMisses',
  'savedMicros',
  'storedResponses',
  'storedBytes',
  'storedWriteUnits',
] as const;

export const zeroTotals = (): UsageTotals => ({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  costMicros: 0,
  estimatedRequests: 0,
  unpricedRequests: 0,
  errors: 0,
  cacheHits: 0,
  cacheMisses: 0,
  savedMicros: 0,
  storedResponses: 0,
  storedBytes: 0,
  storedWriteUnits: 0,
});

export function addTotals(a: UsageTotals, b: UsageTotals): UsageTotals {
  const sum: Record<string, number> = {};
  for (const name of COUNTERS) sum[name] = a[name] + b[name];
  return sum as unknown as UsageTotals;
}

function rowOf(item: Item): UsageRow {
  const totals: Record<string, number> = {};
  for (const name of COUNTERS) totals[name] = readNumber(item, name) ?? 0;
  return {
    ...(totals as unknown as UsageTotals),
    day: readString(item, 'day') ?? '',
    alias: readString(item, 'alias') ?? '',
    keyId: readString(item, 'keyId') ?? '',
    model: readString(item, 'model') ?? '',
    plan: readString(item, 'plan') ?? '',
  };
}

/**
 * A tenant's usage counters for the days `from`..`to` (inclusive, YYYY-MM-DD): one Query, paged; the items of one
 * counter (each stream shard's and the unsharded one, ledger-shards.ts) summed into one row, in sort key order.
 */
export async function readUsage(
  client: DynamoDBClient,
  table: string,
  tenant: string,
  from: string,
  to: string,
): Promise<UsageRow[]> {
  const rows = new Map<string, UsageRow>();
  let start: Item | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': s(`USAGE#${tenant}`), ':from': s(`DAY#${from}`), ':to': s(`DAY#${to}#~`) },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    for (const item of out.Items ?? []) {
      const id = counterBaseSk(item.sk?.S ?? '');
      const row = rowOf(item);
      const into = rows.get(id);
      rows.set(id, into === undefined ? row : { ...into, ...addTotals(into, row), plan: row.plan || into.plan });
    }
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return [...rows.values()];
}
