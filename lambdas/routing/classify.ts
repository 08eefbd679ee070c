import { ERROR_CODES, isErrorCode, type Disposition } from '../core/error-codes.js';
import type { GatewayError } from '../core/errors.js';

export type { Disposition } from '../core/error-codes.js';

/** What a failed try means for the router: its code's `routing` in ERROR_CODES. */
export function dispositionOf(error: GatewayError): Disposition {
  return ERROR_CODES[error.code].routing;
}

/**
 * Whether a failure with this code says something about the target (counts against its circuit breaker): its code's
 * `breaker` in ERROR_CODES. The request's own faults, tries the router cancelled and codes outside the table do not.
 */
export const countsAgainstTarget = (code: string | null): boolean =>
  code !== null && isErrorCode(code) && ERROR_CODES[code].breaker;

/** The provider's Retry-After (milliseconds, from retry-after-ms or retry-after seconds or date), if it sent one. */
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
