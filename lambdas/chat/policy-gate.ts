import type { ChatRequest } from '../api/chat-schemas.js';
import type { GatewayConfig, PlanConfig } from '../config/schema.js';
import { withHeaders } from '../core/errors.js';
import { applyRequestPolicies } from '../policies/apply.js';
import type { PoliciesConfig } from '../policies/config.js';
import { POLICY_HEADER, policyHeaderValue, type PolicyDecision } from '../policies/decisions.js';
import { PolicyViolation } from '../policies/violation.js';
import type { ChatScope } from './chat-scope.js';

/** The configuration of a key's plan (undefined for a plan no longer configured). */
export const planOf = (config: GatewayConfig, plan: string): PlanConfig | undefined =>
  Object.hasOwn(config.plans, plan) ? config.plans[plan] : undefined;

/** The policy header when there is something to say (nothing otherwise: no empty header). */
export const policyHeaders = (decisions: readonly PolicyDecision[]): Record<string, string> =>
  decisions.length === 0 ? {} : { [POLICY_HEADER]: policyHeaderValue(decisions) };

/** What policing a request reads of its scope (chat-scope.ts). */
type PolicedScope = Pick<ChatScope, 'request' | 'principal' | 'trail' | 'gateway'>;

/**
 * The plan's request policies (lambdas/policies), before anything else of the request runs: the request to route
 * (PII redacted, max tokens capped) with its decisions appended to the trail's. A violation is logged with its
 * decision (never the matched text) and leaves as the same error carrying the X-Gateway-Policy header.
 */
export function policeRequest(scope: PolicedScope, policies: PoliciesConfig | undefined): ChatRequest {
  const { request, trail, gateway } = scope;
  const { plan } = scope.principal;
  const decisions = trail.policy;
  const { log } = gateway;
  if (policies === undefined) return request;
  try {
    const outcome = applyRequestPolicies(request, policies, { plan });
    // What was done goes out in the header and the "request completed" line (request-report.ts).
    decisions.push(...outcome.decisions);
    return outcome.request;
  } catch (err) {
    if (!(err instanceof PolicyViolation)) throw err;
    decisions.push(err.decision);
    log.warn('request refused by policy', { plan, policy: [err.decision], status: err.status });
    throw withHeaders(err, policyHeaders([err.decision]));
  }
}
