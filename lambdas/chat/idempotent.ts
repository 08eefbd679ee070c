import type { Principal } from '../auth/principal.js';
import { errorBody } from '../formats/error-body.js';
import { GatewayError } from '../core/errors.js';
import { idempotencyError } from '../idempotency/idempotency-errors.js';
import { sha256Hex } from '../idempotency/idempotency-key.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { REQUEST_ID_HEADER } from '../core/request-id.js';
import { CLIENT_CLOSED_REQUEST } from '../runtime/client-signal.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { onClient } from '../store/client.js';

const idempotencyStore = onClient((client, table) => new IdempotencyStore(client, table));

export const REPLAYED_HEADER = 'Idempotent-Replayed';

const storedHeaders = (headers: GatewayResult['headers']): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (name !== REQUEST_ID_HEADER) out[name] = String(value);
  return out;
};

/**
 * A chat request under an `Idempotency-Key`: the first with a key runs; a retry with the same key and body gets
 * the stored answer (non-stream) while it is kept (24 h), 409 while the first is still running or when the first
 * was a stream (streams are not stored, and must not run twice), 422 for another body or another route. A failure
 * the client may retry (5xx, 429, or its client left: 499) releases the key; any other error is stored like an answer.
 * The answer is stored before it goes out and before its booking is written (after the response, metering.ts): a
 * retry that follows the answer always finds it, and the booking does not depend on the key (it counts once either
 * way: the record's condition).
 */
export async function withIdempotency(
  gateway: GatewayRequest,
  principal: Principal,
  key: string,
  run: () => Promise<GatewayResult>,
): Promise<GatewayResult> {
  const ids = { tenant: principal.tenant, key, requestId: gateway.requestId };
  // The key is scoped to its route: the resource as API Gateway matched it (the same locally).
  const route = `${gateway.event.httpMethod} ${gateway.route?.path ?? gateway.event.resource}`;
  const outcome = await idempotencyStore().begin({ ...ids, route, bodyHash: sha256Hex(gateway.event.body ?? '') });
  if (outcome.kind === 'replay') {
    return {
      statusCode: outcome.status,
      headers: { ...outcome.headers, [REPLAYED_HEADER]: 'true' },
      body: outcome.body,
    };
  }
  const refusal = idempotencyError(outcome);
  if (refusal !== undefined) throw refusal;

  let result: GatewayResult;
  try {
    result = await run();
  } catch (err) {
    // A client that left (499) may retry too.
    if (err instanceof GatewayError && err.status < 500 && err.status !== 429 && err.status !== CLIENT_CLOSED_REQUEST) {
      const body = errorBody(err, gateway.route?.errorFormat ?? 'openai', gateway.requestId);
      await idempotencyStore().complete({
        ...ids,
        status: err.status,
        headers: { 'Content-Type': 'application/json', ...err.headers },
        body: JSON.stringify(body),
      });
    } else {
      await idempotencyStore().abandon(ids);
    }
    throw err;
  }
  if (typeof result.body === 'string') {
    await idempotencyStore().complete({
      ...ids,
      status: result.statusCode,
      headers: storedHeaders(result.headers),
      body: result.body,
    });
  } else {
    await idempotencyStore().completeStream(ids);
  }
  return result;
}
