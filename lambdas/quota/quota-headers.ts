import { GatewayError } from '../core/errors.js';
import { secondsUntilReset } from './quota-periods.js';
import type { QuotaRefusal, ScopeStanding } from './quota-store.js';

export const QUOTA_TOKENS_HEADER = 'X-Gateway-Quota-Remaining-Tokens';
export const BUDGET_HEADER = 'X-Gateway-Budget-Remaining-Usd';

const minOf = (values: (number | undefined)[]): number | undefined => {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : Math.min(...present);
};

/** USD from micro-dollars, 6 decimals, never below 0. */
export const usdText = (micros: number): string => (Math.max(0, micros) / 1_000_000).toFixed(6);

/**
 * What the request's quotas leave, after its own reservation: the fewest tokens any token quota (day or month, tenant
 * or key) leaves, and the least USD any budget leaves. Only the headers whose limits are configured are sent.
 */
export function quotaHeaders(standings: readonly ScopeStanding[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const tokens = minOf(standings.flatMap((s) => [s.tokensLeftDay, s.tokensLeftMonth]));
  const micros = minOf(standings.map((s) => s.microsLeftMonth));
  if (tokens !== undefined) headers[QUOTA_TOKENS_HEADER] = String(Math.max(0, tokens));
  if (micros !== undefined) headers[BUDGET_HEADER] = usdText(micros);
  return headers;
}

const LIMIT_TEXT = {
  tokensPerDay: 'daily token quota',
  tokensPerMonth: 'monthly token quota',
  usdPerMonth: 'monthly budget',
} as const;

/** 429 insufficient_quota, as OpenAI answers an exhausted quota, with what is left and when the period resets. */
export function quotaExceededError(refusal: QuotaRefusal, now: number): GatewayError {
  const owner = refusal.scope.kind === 'tenant' ? "your organisation's" : "this key's";
  return new GatewayError({
    code: 'insufficient_quota',
    message:
      `This request would exceed ${owner} ${LIMIT_TEXT[refusal.limit]} (its reservation counts the input and up to ` +
      'max_tokens of output). Lower max_tokens, wait for the period to reset, or ask for a larger plan.',
    headers: {
      ...quotaHeaders([refusal.standing]),
      'Retry-After': String(secondsUntilReset(now, refusal.limit === 'tokensPerDay' ? 'day' : 'month')),
    },
  });
}
