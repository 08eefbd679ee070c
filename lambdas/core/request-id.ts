import { randomUUID } from 'node:crypto';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id when it is a safe token, otherwise a fresh UUID. */
export function resolveRequestId(clientValue: string | undefined): string {
  return clientValue !== undefined && SAFE_REQUEST_ID.test(clientValue) ? clientValue : randomUUID();
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
