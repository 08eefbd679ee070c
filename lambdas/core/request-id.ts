import { randomUUID } from 'node:crypto';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const isSafe = (value: string | undefined): value is string => value !== undefined && SAFE_REQUEST_ID.test(value);

/**
 * The client's X-Request-Id when it is a safe token; otherwise `fresh` — API Gateway's own request id, the same for
 * the authorizer and the function of one request — or a new UUID.
 */
export function resolveRequestId(clientValue: string | undefined, fresh?: string): string {
  if (isSafe(clientValue)) return clientValue;
  return isSafe(fresh) ? fresh : randomUUID();
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
