import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ChatRequest } from '../api/chat-schemas.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import { json } from '../core/http.js';
import { countMetric } from '../core/metrics.js';
import { committedStream, startStream, type StartedStream } from '../routing/stream.js';
import { route, type RouteEvent, type RouterDeps } from '../routing/router.js';
import { providerKeySource } from '../secrets/provider-keys.js';
import { producedOf } from '../usage/estimate.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { openAIEncoding, type ChatEncoding } from './encoding.js';
import { meterChat, newLedgerId, tallied, type Books, type ChatOutcome } from './metering.js';
import { holdQuota } from './quota-gate.js';
import { providerFor } from './registry.js';
import { resolveTargets, type ResolvedTarget } from './resolve.js';
import { encodeStream } from './sse.js';

export const PROVIDER_HEADER = 'X-Gateway-Provider';
export const MODEL_HEADER = 'X-Gateway-Model';
export const ATTEMPTS_HEADER = 'X-Gateway-Attempts';

class DeadlineExceeded extends Error {}
class ClientGone extends Error {}
// Abort reasons are only compared: one instance each spares a stack capture per request.
const DEADLINE = new DeadlineExceeded('deadline');
const CLIENT_GONE = new ClientGone('client gone');

// Answer ids: unique per process instance (random prefix) and per request (counter), without a random draw each.
const idPrefix = randomBytes(9).toString('base64url');
let answers = 0;
const answerId = (encoding: ChatEncoding): string => `${encoding.idPrefix}${idPrefix}${(answers += 1).toString(36)}`;

const deadlineError = (ms: number): GatewayError =>
  new GatewayError({ status: 504, type: 'api_error', message: `The request did not complete within ${ms} ms.`, code: 'request_deadline_exceeded' });

/**
 * One chat request: alias → targets → the router (retries, failover, breakers, hedging) → an answer, or an SSE
 * stream committed to the first target that produced content, in `encoding`'s format (OpenAI's chat.completion by
 * default; /v1/messages passes Anthropic's). The request's AbortController ends everything: the client going away
 * (the response body is destroyed) or the alias's deadline.
 */
export async function serveChat(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
  encoding: ChatEncoding = openAIEncoding,
): Promise<GatewayResult> {
  const { targets, policy } = resolveTargets(config, principal, request);
  const keys = await providerKeySource(config).keys();
  // Quotas first: nothing goes upstream without a reservation (429 insufficient_quota when it does not fit).
  const hold = await holdQuota(config, principal, targets, policy.timeouts.requestMs, gateway.log);
  const books: Books = { ledgerId: newLedgerId(), createdAt: new Date().toISOString(), hold };
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(DEADLINE), policy.timeouts.requestMs);
  let fallbacks = 0;
  const deps: RouterDeps = {
    now: Date.now,
    random: Math.random,
    onEvent: (event) => {
      if (event.type === 'fallback') fallbacks += 1;
      recordEvent(gateway, request.model, event);
    },
  };
  // Upstream calls started (retries, fallbacks and hedges included), counted as the router starts them.
  let attempts = 0;
  const meter = (outcome: Omit<ChatOutcome, 'fallbacks' | 'attempts'>): Promise<void> =>
    meterChat(gateway, config, principal, request, books, { ...outcome, fallbacks, attempts });
  const meta = { id: answerId(encoding), created: Math.floor(Date.now() / 1000), alias: request.model, requestId: gateway.requestId };
  const call = (target: ResolvedTarget) => ({ request: target.request, model: target.model, requestId: gateway.requestId });
  const headersOf = (target: ResolvedTarget, attempts: number) => ({
    ...hold?.headers,
    [PROVIDER_HEADER]: target.providerName,
    [MODEL_HEADER]: target.model,
    [ATTEMPTS_HEADER]: String(attempts),
  });

  try {
    if (request.stream !== true) {
      const routed = await route(
        request.model,
        targets,
        policy,
        (target, signal) => {
          attempts += 1;
          return providerFor(target.providerName, target.provider, keys).complete({ ...call(target), signal });
        },
        controller.signal,
        deps,
        () => undefined,
      );
      routed.winner.dispose();
      clearTimeout(deadline);
      await meter({ status: 200, provider: routed.target.providerName, model: routed.target.model, usage: routed.value.usage, produced: producedOf(routed.value) });
      return json(200, encoding.body(routed.value, request, meta), headersOf(routed.target, routed.attempts));
    }

    const routed = await route<StartedStream, ResolvedTarget>(
      request.model,
      targets,
      policy,
      (target, signal) => {
        attempts += 1;
        return startStream(providerFor(target.providerName, target.provider, keys), call(target), signal, policy.timeouts.connectMs);
      },
      controller.signal,
      deps,
      (late) => void late.rest.return?.(),
    );
    const timeToFirstTokenMs = performance.now() - gateway.startedAt;
    const stream = tallied(committedStream(routed.value, routed.winner, routed.target.providerName, policy.timeouts.idleMs));
    let ended = false;
    const sse = encodeStream(stream.parts, encoding.stream(request, meta), async ({ usage, failed }) => {
      ended = true;
      clearTimeout(deadline);
      gateway.log.info('stream ended', { failed, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens });
      await meter({
        status: 200,
        provider: routed.target.providerName,
        model: routed.target.model,
        usage,
        produced: stream.produced(),
        timeToFirstTokenMs,
        streamError: failed,
      });
    });
    const body = Readable.from(sse, { objectMode: false });
    body.once('close', () => {
      clearTimeout(deadline);
      if (!ended && !controller.signal.aborted) controller.abort(CLIENT_GONE);
    });
    return {
      statusCode: 200,
      headers: { ...headersOf(routed.target, routed.attempts), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
      body,
    };
  } catch (err) {
    clearTimeout(deadline);
    const error = controller.signal.reason instanceof DeadlineExceeded ? deadlineError(policy.timeouts.requestMs) : err;
    if (error instanceof GatewayError) await meter({ status: error.status });
    throw error;
  }
}

function recordEvent(gateway: GatewayRequest, alias: string, event: RouteEvent): void {
  gateway.log.info(`routing ${event.type}`, { ...event, alias });
  // Fallbacks are counted once, per request, in the request metrics.
  const name = { retry: 'Retries', fallback: undefined, 'breaker-open': 'BreakerOpens', 'breaker-skip': 'BreakerSkips', hedge: 'Hedges' }[event.type];
  if (name !== undefined) countMetric(name, { Model: alias });
}
