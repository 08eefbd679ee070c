import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import type { RequestLog } from '../core/request-log.js';
import { n, s } from '../store/attributes.js';
import type { BudgetWarningDetail, PublishWarning } from './budget-event.js';
import { warningExpiry, type ThresholdCrossing } from './budget-thresholds.js';

/** Who the request's scopes belong to. */
export interface WarningOwner {
  readonly tenant: string;
  readonly keyId: string;
}

/** The claim item of one warning: one per scope, dimension, period and threshold. */
export const warningKey = (crossing: ThresholdCrossing): { pk: string; sk: string } => ({
  pk: `WARN#${crossing.scope.pk}`,
  sk: `${crossing.dimension}#${crossing.period}#${crossing.threshold}`,
});

/**
 * Budget warnings, published exactly once per threshold and period across all gateway instances: a conditional
 * PutItem claims the warning (`attribute_not_exists(pk)`, gone by TTL a day after the period) and only its claimer
 * logs `budget threshold reached` and publishes it (`publish`: the bus in AWS, nothing locally). A publication that
 * fails gives the claim back, so a later request tries again. The memo spares this instance a claim it has seen.
 */
export class BudgetWarnings {
  private readonly seen = new Set<string>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly publish: PublishWarning | undefined,
  ) {}

  /** The crossings this instance has not claimed or seen claimed yet (marked as seen). */
  unseen(crossings: readonly ThresholdCrossing[]): ThresholdCrossing[] {
    return crossings.filter((crossing) => {
      const memo = memoOf(crossing);
      if (this.seen.has(memo)) return false;
      this.seen.add(memo);
      return true;
    });
  }

  /** Claims each crossing and publishes the ones claimed here. Never throws: failures are logged. */
  async warn(owner: WarningOwner, crossings: readonly ThresholdCrossing[], log: RequestLog): Promise<void> {
    for (const crossing of crossings) {
      try {
        await this.warnOnce(owner, crossing, log);
      } catch (err) {
        this.seen.delete(memoOf(crossing));
        log.warn('budget warning failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private async warnOnce(owner: WarningOwner, crossing: ThresholdCrossing, log: RequestLog): Promise<void> {
    const key = warningKey(crossing);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: s(key.pk), sk: s(key.sk), expiresAt: n(warningExpiry(crossing.period)) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return;
      throw err;
    }
    const detail: BudgetWarningDetail = {
      tenant: owner.tenant,
      ...(crossing.scope.kind === 'key' ? { keyId: owner.keyId } : {}),
      scope: crossing.scope.kind,
      dimension: crossing.dimension,
      threshold: crossing.threshold,
      period: crossing.period,
      used: crossing.used,
      limit: crossing.limit,
    };
    log.warn('budget threshold reached', { ...detail });
    if (this.publish === undefined) return;
    try {
      await this.publish(detail);
    } catch (err) {
      await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: s(key.pk), sk: s(key.sk) } }));
      throw err;
    }
  }
}

const memoOf = (crossing: ThresholdCrossing): string => {
  const { pk, sk } = warningKey(crossing);
  return `${pk}\n${sk}`;
};
