import { UsageError } from './errors.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };
const DURATION = /^(\d{1,9})([smhdw])$/;
/** An ISO 8601 date, optionally with a time and offset; Date.parse decides whether it is real. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Seconds in a duration such as `90s`, `30m`, `12h`, `30d` or `2w`; undefined when `text` is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const unit = UNIT_SECONDS[match[2]];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

/** `--grace`: a duration, in whole seconds. */
export function parseGrace(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined) throw new UsageError(`--grace: "${text}" is not a duration (e.g. 0s, 90m, 1h, 7d)`);
  return seconds;
}

/** `--expires`: a duration from `now` (`30d`) or a date-time (`2030-01-31T00:00:00Z`), as an ISO 8601 UTC string. */
export function parseExpiry(text: string, now: Date): string {
  const seconds = parseDuration(text);
  let at: Date;
  if (seconds !== undefined) {
    at = new Date(now.getTime() + seconds * 1000);
  } else if (ISO_DATE.test(text.trim()) && !Number.isNaN(Date.parse(text.trim()))) {
    at = new Date(Date.parse(text.trim()));
  } else {
    throw new UsageError(`--expires: "${text}" is neither a duration (e.g. 90m, 12h, 30d) nor an ISO 8601 date-time`);
  }
  if (Number.isNaN(at.getTime())) throw new UsageError(`--expires: "${text}" is too far ahead`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires: ${at.toISOString()} is not in the future`);
  return at.toISOString();
}
