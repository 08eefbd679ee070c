import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import type { RequestLog } from '../core/request-log.js';
import { quotaExceededError, quotaHeaders } from '../quota/quota-headers.js';
import { quotaScopes } from '../quota/quota-scopes.js';
import { QuotaLeases } from '../quota/quota-leases.js';
import { QuotaExceeded, QuotaStore, type Reservation } from '../quota/quota-store.js';
import { reservationAmount, type PricedTarget, type ReservationAmount } from '../quota/reservation-amount.js';
import type { QuotasConfig } from '../config/quotas-schema.js';
import { onClient } from '../store/client.js';
import { warnBudgets } from '../budgets/warn-budgets.js';

const quotaLeases = onClient((client, table) => new QuotaLeases(new QuotaStore(client, table)));

/** A request's hold on its quotas: settled with the ledger entry (ledger-store.ts) once the usage is known. */
export interface QuotaHold {
  readonly reservation: Reservation;
  /** Releases of expired buckets seen while reserving, running beside the upstream call; awaited before settling. */
  readonly cleanup: Promise<void>;
  readonly headers: Record<string, string>;
}

/**
 * Reserves the request's estimate in the quotas of the key's plan before any upstream call; undefined when the plan
 * has none. Over a limit: 429 insufficient_quota.
 */
export function holdQuota(
  scope: QuotaScope,
  targets: readonly PricedTarget[],
  deadlineMs: number,
): Promise<QuotaHold | undefined> {
  return holdReservation(scope, (quotas) => reservationAmount(scope.config, quotas, targets), deadlineMs);
}

interface QuotaScope {
  readonly config: GatewayConfig;
  readonly principal: Principal;
  readonly gateway: { readonly log: RequestLog; readonly event: APIGatewayProxyEvent };
}

/** holdQuota with the amount computed by the caller from the plan's quotas (embeddings: input only). */
export async function holdReservation(
  scope: QuotaScope,
  amountOf: (quotas: QuotasConfig) => ReservationAmount,
  deadlineMs: number,
): Promise<QuotaHold | undefined> {
  const { config, principal } = scope;
  const { log } = scope.gateway;
  const plan = quotaScopes(config, principal);
  if (plan === undefined) return undefined;
  const amount = amountOf(plan.quotas);
  const now = Date.now();
  try {
    const lifetimeMs = deadlineMs + plan.quotas.reservationGraceSeconds * 1000;
    const { reservation, cleanup } = await quotaLeases().reserve(
      plan.scopes,
      amount,
      lifetimeMs,
      plan.quotas.leaseRequests,
      plan.quotas.leaseMaxSeconds * 1000,
    );
    await warnBudgets(scope, plan.quotas, reservation);
    return {
      reservation,
      cleanup: cleanup.catch((err: unknown) => {
        // Only housekeeping failed (the sweeper releases those buckets later); the request itself is fine.
        log.warn('releasing expired quota reservations failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }),
      headers: quotaHeaders(reservation.standings),
    };
  } catch (err) {
    if (err instanceof QuotaExceeded) throw quotaExceededError(err.refusal, now);
    throw err;
  }
}
