import type { GatewayError } from '../core/errors.js';
import { isRoutingCode, ROUTING_CODES, type Disposition } from './codes.js';

export type { Disposition } from './codes.js';

/** What a failed try means for the router (see ROUTING_CODES); a code outside the table is fatal. */
export function dispositionOf(error: GatewayError): Disposition {
  const code = error.code ?? '';
  return isRoutingCode(code) ? ROUTING_CODES[code] : 'fatal';
}

/**
 * The provider's Retry-After (milliseconds, from retry-after-ms or retry-after seconds or date), if it sent one.
 * An empty or unreadable value counts as absent: `Number('')` is 0, which would read as "retry now".
 */
export function retryAfterMs(error: GatewayError, now: number = Date.now()): number | undefined {
  const ms = delayNumber(error.headers['Retry-After-Ms']);
  if (ms !== undefined) return ms;
  const value = error.headers['Retry-After']?.trim();
  if (!value) return undefined;
  const seconds = delayNumber(value);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A non-negative number written in the header, or undefined for a missing, blank or non-numeric value. */
function delayNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
