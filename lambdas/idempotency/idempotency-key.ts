import { createHash } from 'node:crypto';
import { badRequest, type GatewayError } from '../core/errors.js';

/** The request header a client sets to make a retry safe. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const VALID_KEY = /^[\x20-\x7E]{1,255}$/;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

export const invalidIdempotencyKey = (): GatewayError =>
  badRequest(
    `The ${IDEMPOTENCY_HEADER} header must be 1 to 255 printable ASCII characters.`,
    'invalid_idempotency_key',
    IDEMPOTENCY_HEADER,
  );

/** The client's key as given, or a 400 when it is empty, longer than 255 characters or not printable ASCII. */
export function parseIdempotencyKey(value: string): string {
  if (!VALID_KEY.test(value)) throw invalidIdempotencyKey();
  return value;
}

/** The partition key of a tenant's idempotency item: only a hash of the client's key is ever stored. */
export const idempotencyPk = (tenant: string, key: string): string =>
  `IDEM#${tenant}#${sha256Hex(parseIdempotencyKey(key))}`;
