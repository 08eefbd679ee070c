import { badRequest } from '../core/errors.js';

/** The longest range a usage query may span, in days, both ends included (a leap year). */
export const MAX_RANGE_DAYS = 366;

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A UTC day as YYYY-MM-DD. */
export const dayOfDate = (date: Date): string => date.toISOString().slice(0, 10);

/** Midnight UTC of `day` in epoch milliseconds, or undefined when `day` is not a real YYYY-MM-DD date (2026-02-30). */
export function dayStart(day: string): number | undefined {
  const match = DAY_SHAPE.exec(day);
  if (match === null) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, date);
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === date
    ? at.getTime()
    : undefined;
}

export const isDay = (text: string): boolean => dayStart(text) !== undefined;

/** The days a usage query covers, both included. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The range of a usage query from its `from` and `to` (already checked to be days): `to` defaults to today (UTC),
 * `from` to the first day of `to`'s month (so no parameters mean this month so far). A 400 when `from` is after
 * `to` or the range spans more than MAX_RANGE_DAYS days.
 */
export function usageRange(
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  now: Date,
): DayRange {
  const to = query.to ?? dayOfDate(now);
  const end = dayStart(to);
  if (end === undefined) throw badRequest(`to: "${to}" is not a date (YYYY-MM-DD).`, 'invalid_date', 'to');
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  const start = dayStart(from);
  if (start === undefined) throw badRequest(`from: "${from}" is not a date (YYYY-MM-DD).`, 'invalid_date', 'from');
  if (start > end) throw badRequest(`from (${from}) is after to (${to}).`, 'invalid_date_range', 'from');
  const days = (end - start) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) {
    throw badRequest(
      `The range ${from}..${to} spans ${days} days; at most ${MAX_RANGE_DAYS} are allowed.`,
      'invalid_date_range',
      'from',
    );
  }
  return { from, to };
}
