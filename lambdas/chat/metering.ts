import type { ChatRequest } from '../api/chat-schemas.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { NO_PROVIDER, publishRequestMetrics } from '../metrics/request-metrics.js';
import type { StreamPart, ToolCall, Usage } from '../providers/types.js';
import type { GatewayRequest } from '../runtime/types.js';
import { costMicros, priceFor } from '../usage/cost.js';
import { meterUsage, type ProducedOutput } from '../usage/estimate.js';

/** What one chat request did, as the metrics (and, next, the ledger) record it. */
export interface ChatOutcome {
  readonly status: number;
  readonly provider?: string | undefined;
  readonly model?: string | undefined;
  readonly usage?: Usage | undefined;
  readonly produced?: ProducedOutput | undefined;
  readonly timeToFirstTokenMs?: number | undefined;
  readonly streamError?: boolean | undefined;
  readonly attempts: number;
  readonly fallbacks: number;
}

/**
 * Closes the books on one chat request: the provider's usage (or an estimate, marked as such), its cost from the
 * price table (unknown price: no cost, never a guess), and one EMF document. Awaited before the client is told the
 * usage or the end — for streams at their end, not when the headers left — which is where the ledger write
 * (lambdas/ledger) joins once its hot-path cost is settled (see docs/PERFORMANCE.md).
 */
export async function meterChat(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
  outcome: ChatOutcome,
): Promise<void> {
  const served = outcome.provider !== undefined && outcome.model !== undefined;
  const metered = served && outcome.produced !== undefined ? meterUsage(outcome.usage, request, outcome.produced) : undefined;
  const price = served ? priceFor(config, outcome.provider ?? '', outcome.model ?? '') : undefined;
  const cost = metered !== undefined && price !== undefined ? costMicros(metered.usage, price) : undefined;
  publishRequestMetrics({
    model: request.model,
    provider: outcome.provider ?? NO_PROVIDER,
    plan: principal.plan,
    tenant: principal.tenant,
    keyId: principal.keyId,
    requestId: gateway.requestId,
    status: outcome.status,
    latencyMs: performance.now() - gateway.startedAt,
    timeToFirstTokenMs: outcome.timeToFirstTokenMs,
    usage: metered?.usage,
    costMicros: cost,
    estimated: metered?.estimated ?? false,
    fallbacks: outcome.fallbacks,
    attempts: outcome.attempts,
    streamError: outcome.streamError,
  });
}

/** Passes stream parts through while keeping what was produced (for an estimate when the provider reports none). */
export function tallied(parts: AsyncIterable<StreamPart>): { parts: AsyncGenerator<StreamPart>; produced: () => ProducedOutput } {
  let text = '';
  const calls = new Map<number, { name: string; arguments: string }>();
  async function* pass(): AsyncGenerator<StreamPart> {
    for await (const part of parts) {
      if (part.type === 'text-delta') text += part.delta;
      else if (part.type === 'tool-call-start') calls.set(part.index, { name: part.name, arguments: '' });
      else if (part.type === 'tool-call-delta') {
        const call = calls.get(part.index);
        if (call !== undefined) call.arguments += part.argumentsDelta;
      }
      yield part;
    }
  }
  return { parts: pass(), produced: () => ({ text, toolCalls: [...calls.values()] as Pick<ToolCall, 'name' | 'arguments'>[] }) };
}
