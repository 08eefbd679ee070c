import { TransactionCanceledException, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { settleItems, type Reservation } from '../quota/quota-store.js';
import type { ReservationAmount } from '../quota/reservation-amount.js';
import { compact, n, s } from '../store/attributes.js';
import { dayOf, type LedgerEntry } from './ledger-entry.js';

/** How long request records are kept (the aggregates stay). */
export const LEDGER_RETENTION_DAYS = 400;

/**
 * The usage ledger in the gateway table, written in ONE TransactWriteItems per request (its ClientRequestToken is the
 * entry id, so a retried write — by the SDK or by us — never counts twice):
 *   pk REQ#<id>            sk REQ                                        the request record (TTL: 400 days)
 *      gsi1pk LEDGER#<tenant>#<day>  gsi1sk <createdAt>#<id>            (a tenant's requests of a day, in order)
 *   pk USAGE#<tenant>      sk DAY#<day>#MODEL#<alias>#KEY#<keyId>        counters: requests, tokens, cost
 * Totals by day, model and key, and month totals, are sums over the counters of a date range (one Query).
 * With a quota reservation, the same transaction settles it (quota-store.ts `settleItems`): the quota totals change
 * exactly when the ledger does, never one without the other.
 */
export class LedgerStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async record(entry: LedgerEntry, quota?: { reservation: Reservation; actual: ReservationAmount }): Promise<void> {
    const day = dayOf(entry);
    const usage = entry.usage;
    const counters: Record<string, number> = {
      requests: 1,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedTokens: usage?.cachedInputTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      costMicros: entry.costMicros ?? 0,
      estimatedRequests: entry.estimated ? 1 : 0,
      unpricedRequests: entry.costMicros === undefined && usage !== undefined ? 1 : 0,
      errors: entry.status >= 500 ? 1 : 0,
    };
    const names = Object.keys(counters);
    const released = new Set<string>();
    // At most one retry per quota scope: a reservation bucket found released (the request outlived its expiry).
    for (let attempt = 0; ; attempt++) {
      const settle = quota === undefined ? [] : settleItems(this.table, quota.reservation, quota.actual, released);
      try {
        await this.send(entry, day, counters, names, settle, attempt);
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        // The record exists already (a retry after the token's 10-minute window): it was counted then, not again.
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return;
        const scopes = quota?.reservation.scopes ?? [];
        const gone = scopes.filter((scope, i) => reasons[2 + i]?.Code === 'ConditionalCheckFailed' && !released.has(scope.pk));
        if (gone.length === 0) throw err;
        gone.forEach((scope) => released.add(scope.pk));
      }
    }
  }

  private async send(
    entry: LedgerEntry,
    day: string,
    counters: Record<string, number>,
    names: string[],
    settle: TransactWriteItem[],
    attempt: number,
  ): Promise<void> {
    const usage = entry.usage;
    await this.client.send(
      new TransactWriteItemsCommand({
        // Each attempt has its own token: the same token with other items is refused (IdempotentParameterMismatch).
        ClientRequestToken: attempt === 0 ? entry.id.slice(0, 36) : `${entry.id.slice(0, 33)}.${attempt}`,
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              ConditionExpression: 'attribute_not_exists(pk)',
              Item: compact({
                pk: s(`REQ#${entry.id}`),
                sk: s('REQ'),
                gsi1pk: s(`LEDGER#${entry.tenant}#${day}`),
                gsi1sk: s(`${entry.createdAt}#${entry.id}`),
                requestId: s(entry.requestId),
                tenant: s(entry.tenant),
                keyId: s(entry.keyId),
                plan: s(entry.plan),
                alias: s(entry.alias),
                provider: entry.provider === undefined ? undefined : s(entry.provider),
                model: entry.model === undefined ? undefined : s(entry.model),
                status: n(entry.status),
                stream: { BOOL: entry.stream },
                inputTokens: usage === undefined ? undefined : n(usage.inputTokens),
                outputTokens: usage === undefined ? undefined : n(usage.outputTokens),
                cachedTokens: usage === undefined ? undefined : n(usage.cachedInputTokens),
                cacheWriteTokens: usage === undefined ? undefined : n(usage.cacheWriteTokens),
                estimated: { BOOL: entry.estimated },
                costMicros: entry.costMicros === undefined ? undefined : n(entry.costMicros),
                attempts: n(entry.attempts),
                createdAt: s(entry.createdAt),
                expiresAt: n(Math.floor(Date.parse(entry.createdAt) / 1000) + LEDGER_RETENTION_DAYS * 86_400),
              }),
            },
          },
          {
            Update: {
              TableName: this.table,
              Key: { pk: s(`USAGE#${entry.tenant}`), sk: s(`DAY#${day}#MODEL#${entry.alias}#KEY#${entry.keyId}`) },
              UpdateExpression: `SET #day = :day, #alias = :alias, #keyId = :keyId ADD ${names.map((name, i) => `#c${i} :c${i}`).join(', ')}`,
              ExpressionAttributeNames: {
                '#day': 'day',
                '#alias': 'alias',
                '#keyId': 'keyId',
                ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
              },
              ExpressionAttributeValues: {
                ':day': s(day),
                ':alias': s(entry.alias),
                ':keyId': s(entry.keyId),
                ...Object.fromEntries(names.map((name, i) => [`:c${i}`, n(counters[name] ?? 0)])),
              },
            },
          },
          ...settle,
        ],
      }),
    );
  }
}
