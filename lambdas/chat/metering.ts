import { randomBytes } from 'node:crypto';
import { NO_PROVIDER, publishRequestMetrics } from '../observability/request-metrics.js';
import type { StreamPart, ToolCall, Usage } from '../providers/types.js';
import { markSelfReported } from '../runtime/request-state.js';
import type { LedgerEntry } from '../ledger/ledger-entry.js';
import { journaled } from '../ledger/runtime.js';
import { afterResponse } from '../runtime/after-response.js';
import { bookEntry } from './book-entry.js';
import { costMicros, pricesUsage, priceFor } from '../usage/cost.js';
import { meterUsage, type MeteredUsage, type ProducedOutput } from '../usage/estimate.js';
import type { Books, ChatScope } from './chat-scope.js';
import { planOf } from './policy-gate.js';
import { reportCompleted, reportText } from '../observability/request-report.js';

// Ledger ids: the gateway's own, unique per process instance (random prefix) and per request (counter).
const ledgerPrefix = randomBytes(12).toString('base64url');
let entries = 0;
/** A fresh ledger id (at most 36 characters: it is also the transaction's ClientRequestToken). */
export const newLedgerId = (): string => `req_${ledgerPrefix}${(entries += 1).toString(36)}`;

/** What metering reads of a request's scope (the chat service's; /v1/embeddings passes its own, embed-books.ts). */
export type MeterScope = Pick<ChatScope, 'gateway' | 'config' | 'principal' | 'request' | 'trail' | 'cache'>;

/** What one chat request did, as the ledger and the metrics record it. */
export interface ChatOutcome {
  readonly status: number;
  readonly provider?: string | undefined;
  readonly model?: string | undefined;
  readonly usage?: Usage | undefined;
  readonly produced?: ProducedOutput | undefined;
  readonly timeToFirstTokenMs?: number | undefined;
  readonly streamError?: boolean | undefined;
  /** Usage already metered (a failed stream's partial counts, partial-usage.ts): booked as is. */
  readonly metered?: MeteredUsage | undefined;
  readonly attempts: number;
  readonly fallbacks: number;
}

/**
 * Closes the books on one chat request: the provider's usage (or an estimate, marked as such), its cost from the
 * price table (unknown price: no cost, never a guess), the ledger entry — ONE booking that also settles the quota
 * reservation at the actual usage — and one EMF document. What the client is told (the usage, the cost headers)
 * comes from the usage and the price, not from the write, so the write is not on the client's path: on a streaming
 * function the booking runs after the response has ended (runtime/after-response.ts) and the invocation resolves
 * once it is durable (written, retried, or deferred to the bus: ledger/deferred-booking.ts). Elsewhere (buffered
 * functions, direct handler calls, and the local journal, whose booking is a local append made before the answer so
 * that a crash after the answer keeps it) it is awaited here, and a booking that could not be kept anywhere throws
 * ledgerUnavailable (the entry is then in the log). A request that never reached routing (refused before: alias,
 * access, quota) and holds no reservation is not in the ledger. Then the request is reported (request-report.ts): its
 * "request completed" line and, when sampled, its evaluation event — after the booking, so the event's id is a
 * record the feedback API can find.
 */
export async function meterChat(scope: MeterScope, books: Books, outcome: ChatOutcome): Promise<void> {
  const { gateway, config, principal, request } = scope;
  const served = outcome.provider !== undefined && outcome.model !== undefined;
  const metered =
    outcome.metered ??
    (served && outcome.produced !== undefined ? meterUsage(outcome.usage, request, outcome.produced) : undefined);
  const price = served ? priceFor(config, outcome.provider ?? '', outcome.model ?? '') : undefined;
  // Web searches without a per-search price leave the cost unknown (an unpriced request), as a missing price does.
  const priced =
    metered !== undefined && price !== undefined && pricesUsage(metered.usage, price)
      ? costMicros(metered.usage, price)
      : undefined;
  // A cache hit costs nothing; what it saved is its cost at today's price (lambdas/cache).
  const cache = scope.cache?.state;
  const hit = cache === 'hit';
  const cost = hit ? 0 : priced;
  const entry: LedgerEntry = {
    id: books.ledgerId,
    requestId: gateway.requestId,
    tenant: principal.tenant,
    keyId: principal.keyId,
    plan: principal.plan,
    alias: request.model,
    provider: outcome.provider,
    model: outcome.model,
    status: outcome.status,
    stream: request.stream === true,
    usage: metered?.usage,
    estimated: metered?.estimated ?? false,
    costMicros: cost,
    attempts: outcome.attempts,
    ...(cache === undefined ? {} : { cache }),
    ...(hit && priced !== undefined ? { savedMicros: priced } : {}),
    ...(principal.labels === undefined ? {} : { labels: principal.labels }),
    createdAt: books.createdAt,
  };
  // The latency the client saw: up to its answer, not the booking after it.
  const latencyMs = performance.now() - gateway.startedAt;
  const reporting = claimReport(scope);
  const tokens = metered === undefined ? 0 : metered.usage.inputTokens + metered.usage.outputTokens;
  const close = async (inline: boolean): Promise<void> => {
    const booked =
      (books.hold !== undefined || outcome.attempts > 0 || hit) &&
      (await bookEntry(gateway, books, { entry, tokens }, inline));
    publishRequestMetrics({
      model: request.model,
      provider: outcome.provider ?? NO_PROVIDER,
      plan: principal.plan,
      tenant: principal.tenant,
      keyId: principal.keyId,
      requestId: gateway.requestId,
      status: outcome.status,
      latencyMs,
      timeToFirstTokenMs: outcome.timeToFirstTokenMs,
      usage: metered?.usage,
      costMicros: cost,
      estimated: metered?.estimated ?? false,
      fallbacks: outcome.fallbacks,
      attempts: outcome.attempts,
      streamError: outcome.streamError,
      cache,
      savedMicros: entry.savedMicros,
    });
    if (reporting) await report(scope, { entry, booked, outcome, latencyMs });
  };
  // The journal (the local server) makes a booking durable by a local append: before the answer, as a crash after the
  // answer must not lose it. Otherwise the store's write waits until after the response.
  await (journaled() ? close(true) : afterResponse(gateway.event, close));
}

/**
 * The report of a request that ended without a ledger record — refused before its books were opened (unknown alias,
 * key or policy refusal, quota), or whose ledger write failed (503): its one "request completed" line, without ledger
 * id and so without evaluation event. Nothing when the request was reported already.
 */
export async function reportUnbooked(scope: MeterScope, status: number): Promise<void> {
  const { gateway, principal, request } = scope;
  // The shape of a ledger entry, for one report code path; it is never written (no id, booked: false).
  const entry: LedgerEntry = {
    id: '',
    requestId: gateway.requestId,
    tenant: principal.tenant,
    keyId: principal.keyId,
    plan: principal.plan,
    alias: request.model,
    provider: undefined,
    model: undefined,
    status,
    stream: request.stream === true,
    usage: undefined,
    estimated: false,
    costMicros: undefined,
    attempts: 0,
    createdAt: new Date().toISOString(),
  };
  const outcome: ChatOutcome = { status, attempts: 0, fallbacks: 0 };
  if (!claimReport(scope)) return;
  await report(scope, { entry, booked: false, outcome, latencyMs: performance.now() - gateway.startedAt });
}

/**
 * Claims the request's one report, at once (its line may be written after the response): false when it was claimed
 * already. The access log line is skipped from then on.
 */
function claimReport(scope: MeterScope): boolean {
  if (scope.trail.reported) return false;
  scope.trail.reported = true;
  markSelfReported(scope.gateway.event);
  return true;
}

/** The request's one report (request-report.ts), claimed by claimReport. */
async function report(
  scope: MeterScope,
  done: { entry: LedgerEntry; booked: boolean; outcome: ChatOutcome; latencyMs: number },
): Promise<void> {
  const { gateway, config, request, trail } = scope;
  const { id, ...entry } = done.entry;
  const { outcome } = done;
  await reportCompleted(
    gateway.log,
    planOf(config, entry.plan),
    {
      ...entry,
      ledgerId: done.booked ? id : undefined,
      streamError: outcome.streamError === true,
      latencyMs: done.latencyMs,
      timeToFirstTokenMs: outcome.timeToFirstTokenMs,
      fallbacks: outcome.fallbacks,
      policy: trail.policy,
    },
    () => reportText(request, outcome.produced),
  );
}

/** Passes stream parts through while keeping what was produced (for an estimate when the provider reports none). */
export function tallied(parts: AsyncIterable<StreamPart>): {
  parts: AsyncGenerator<StreamPart>;
  produced: () => ProducedOutput;
} {
  let text = '';
  let reasoning = '';
  const calls = new Map<number, { name: string; arguments: string }>();
  async function* pass(): AsyncGenerator<StreamPart> {
    for await (const part of parts) {
      if (part.type === 'text-delta' || part.type === 'refusal-delta') text += part.delta;
      // Reasoning is output too (providers count thinking tokens in their output tokens).
      else if (part.type === 'reasoning-delta') reasoning += part.delta;
      else if (part.type === 'tool-call-start') calls.set(part.index, { name: part.name, arguments: '' });
      else if (part.type === 'tool-call-delta') {
        const call = calls.get(part.index);
        if (call !== undefined) call.arguments += part.argumentsDelta;
      }
      yield part;
    }
  }
  return {
    parts: pass(),
    produced: () => ({
      text,
      toolCalls: [...calls.values()] as Pick<ToolCall, 'name' | 'arguments'>[],
      ...(reasoning === '' ? {} : { reasoning }),
    }),
  };
}
