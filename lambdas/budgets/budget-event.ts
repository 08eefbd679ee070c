import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVALUATION_BUS_ENV } from '../observability/evaluation/evaluation-sinks.js';
import type { BudgetDimension } from './budget-thresholds.js';

export const BUDGET_SOURCE = 'llm-gateway.budget';
export const BUDGET_DETAIL_TYPE = 'BudgetThresholdReached';

/** The detail of a BudgetThresholdReached event (README, "For finance"). */
export interface BudgetWarningDetail {
  readonly tenant: string;
  /** Only for a key's own limits. */
  readonly keyId?: string;
  readonly scope: 'tenant' | 'key';
  readonly dimension: BudgetDimension;
  /** The fraction of the limit reached, e.g. 0.8. */
  readonly threshold: number;
  /** `YYYY-MM-DD` (tokensPerDay) or `YYYY-MM` (UTC). */
  readonly period: string;
  /** Tokens, or USD for usdPerMonth. */
  readonly used: number;
  readonly limit: number;
}

/** Publishes one warning; resolves once the bus took it, rejects when it did not. */
export type PublishWarning = (detail: BudgetWarningDetail) => Promise<void>;

let client: EventBridgeClient | undefined;

/**
 * PutEvents of one BudgetThresholdReached event on the gateway's bus (EVALUATION_BUS_NAME; a rule forwards it to the
 * budget SNS topic, lib/budget-topic.ts). Undefined without a bus: locally the log line is the notification.
 */
export function budgetEventSender(env: NodeJS.ProcessEnv = process.env): PublishWarning | undefined {
  const bus = env[EVALUATION_BUS_ENV];
  if (bus === undefined || bus === '') return undefined;
  return async (detail) => {
    // Imported on the first send: a chunk of its own in the bundle, nothing of it evaluated at init.
    const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    client ??= new EventBridgeClient({ maxAttempts: 3 });
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: bus, Source: BUDGET_SOURCE, DetailType: BUDGET_DETAIL_TYPE, Detail: JSON.stringify(detail) },
        ],
      }),
    );
    if ((output.FailedEntryCount ?? 0) > 0) {
      const entry = output.Entries?.[0];
      throw new Error(`PutEvents refused the warning: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`);
    }
  };
}
