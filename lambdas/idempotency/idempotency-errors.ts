import { GatewayError } from '../core/errors.js';
import { IDEMPOTENCY_HEADER } from './idempotency-key.js';
import type { BeginOutcome } from './idempotency-record.js';

export const idempotencyKeyInFlight = (): GatewayError =>
  new GatewayError({
    message: `A request with this ${IDEMPOTENCY_HEADER} is still being processed. Retry after it completes.`,
    code: 'idempotency_key_in_flight',
    param: IDEMPOTENCY_HEADER,
  });

export const idempotencyKeyReused = (): GatewayError =>
  new GatewayError({
    message: `This ${IDEMPOTENCY_HEADER} was already used with a different request body.`,
    code: 'idempotency_key_reused',
    param: IDEMPOTENCY_HEADER,
  });

export const idempotencyKeyOtherRoute = (route: string): GatewayError =>
  new GatewayError({
    message: `This ${IDEMPOTENCY_HEADER} was already used on ${route || 'another route'}; a key belongs to the route it was first used on. Use a new key.`,
    code: 'idempotency_key_other_route',
    param: IDEMPOTENCY_HEADER,
  });

export const idempotencyKeyUsedForStream = (): GatewayError =>
  new GatewayError({
    message: `This ${IDEMPOTENCY_HEADER} was used for a streamed response, which is not stored for replay. Use a new key.`,
    code: 'idempotency_key_used_for_stream',
    param: IDEMPOTENCY_HEADER,
  });

/** The error a `begin` outcome answers with, or undefined when the request proceeds ('new') or is replayed. */
export function idempotencyError(outcome: BeginOutcome): GatewayError | undefined {
  switch (outcome.kind) {
    case 'in_flight':
      return idempotencyKeyInFlight();
    case 'mismatch':
      return idempotencyKeyReused();
    case 'other_route':
      return idempotencyKeyOtherRoute(outcome.route);
    case 'stream_used':
      return idempotencyKeyUsedForStream();
    case 'new':
    case 'replay':
      return undefined;
  }
}
