import { GetItemCommand, type DynamoDBClient } from '../aws-http/dynamodb.js';
import { s } from '../store/attributes.js';
import { settleSortKey } from './quota-items.js';
import { bucketExpiry, bucketsOf } from './quota-periods.js';
import type { SettleTarget } from './quota-settle.js';

/**
 * A bucket's draws are kept on a settle item this long after the bucket expired: by then a request or the sweeper
 * (every minute) has released it from the quota item, and its draws no longer count. Pruned earlier, the reader only
 * counts the still-open bucket whole (more used, never less) until it is released.
 */
export const SETTLE_PRUNE_AFTER_MS = 5 * 60_000;

/**
 * Keeps settle items small (each write costs a unit per KB): the buckets each settle item of this aggregator holds,
 * learnt from the item once (a GetItem; the aggregator of the slot is its only writer) and then from its own writes,
 * so that every settle REMOVEs the buckets expired more than SETTLE_PRUNE_AFTER_MS ago.
 */
export class SettlePruner {
  private readonly known = new Map<string, Set<string>>();
  private readonly pending = new Map<string, readonly string[]>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number,
  ) {}

  /** Reads the settle items this aggregator has not seen yet. */
  async learn(slot: number, targets: readonly SettleTarget[]): Promise<void> {
    await Promise.all(
      targets
        .filter((target) => !this.known.has(idOf(slot, target)))
        .map(async (target) => {
          const out = await this.client.send(
            new GetItemCommand({
              TableName: this.table,
              Key: { pk: s(target.pk), sk: s(settleSortKey(target.month, slot)) },
              ConsistentRead: true,
            }),
          );
          this.known.set(idOf(slot, target), new Set(bucketsOf(Object.keys(out.Item ?? {}))));
        }),
    );
  }

  /** The buckets of this settle item to remove now. */
  stale(slot: number, target: SettleTarget): readonly string[] {
    const cutoff = this.now() - SETTLE_PRUNE_AFTER_MS;
    const stale = [...(this.known.get(idOf(slot, target)) ?? [])].filter((bucket) => bucketExpiry(bucket) < cutoff);
    this.pending.set(idOf(slot, target), stale);
    return stale;
  }

  /** The settles' transaction went through: the items now hold their new buckets, less the pruned ones. */
  applied(slot: number, targets: readonly SettleTarget[]): void {
    for (const target of targets) {
      const id = idOf(slot, target);
      const buckets = this.known.get(id) ?? new Set<string>();
      for (const bucket of this.pending.get(id) ?? []) buckets.delete(bucket);
      for (const bucket of target.buckets) buckets.add(bucket);
      this.known.set(id, buckets);
      this.pending.delete(id);
    }
  }
}

const idOf = (slot: number, target: SettleTarget): string => `${target.pk}\u0000${target.month}\u0000${slot}`;
