import type { GatewayError } from '../core/errors.js';
import { isRoutingCode, ROUTING_CODES, type Disposition } from './codes.js';

export type { Disposition } from './codes.js';

/** What a failed try means for the router (see ROUTING_CODES); a code outside the table is fatal. */
export function dispositionOf(error: GatewayError): Disposition {
  const code = error.code ?? '';
  return isRoutingCode(code) ? ROUTING_CODES[code] : 'fatal';
}

/** The provider's Retry-After (milliseconds, from retry-after-ms or retry-after seconds or date), if it sent one. */
export function retryAfterMs(error: GatewayError, now: number = Date.now()): number | undefined {
  const ms = Number(error.headers['Retry-After-Ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = error.headers['Retry-After'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
