import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { QuotasConfig } from '../config/quotas-schema.js';
import type { RequestLog } from '../core/request-log.js';
import type { Reservation } from '../quota/quota-store.js';
import { afterResponse } from '../runtime/after-response.js';
import { onClient } from '../store/client.js';
import { budgetEventSender } from './budget-event.js';
import { thresholdCrossings } from './budget-thresholds.js';
import { BudgetWarnings, type WarningOwner } from './budget-warnings.js';

const budgetWarnings = onClient((client, table) => new BudgetWarnings(client, table, budgetEventSender()));

/** What the hook reads of a request. */
export interface WarnScope {
  readonly principal: WarningOwner;
  readonly gateway: { readonly event: APIGatewayProxyEvent; readonly log: RequestLog };
}

/**
 * After a reservation (chat/quota-gate.ts): the thresholds of `quotas.warnAt` its scopes have reached and this
 * instance has not warned of yet are claimed and published after the response (runtime/after-response.ts), before
 * the invocation ends; at once, awaited, where the invocation has no after-response registry.
 */
export function warnBudgets(scope: WarnScope, quotas: QuotasConfig, reservation: Reservation): Promise<void> {
  const warnings = budgetWarnings();
  const crossings = warnings.unseen(thresholdCrossings(reservation, quotas.warnAt));
  if (crossings.length === 0) return Promise.resolve();
  const { tenant, keyId } = scope.principal;
  const { event, log } = scope.gateway;
  return afterResponse(event, () => warnings.warn({ tenant, keyId }, crossings, log));
}
