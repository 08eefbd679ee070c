import { regexDetector, spanOf, type Span } from './detector.js';

/**
 * E-mail addresses and phone numbers.
 *
 * E-mail: local part, "@", one to nine dot-separated labels ending in an alphabetic TLD. Not matched: handles
 * (`@bob`), package versions (`lodash@4.17.21`: numeric "TLD"), `user@localhost`, and asset names whose "TLD" is a
 * file extension (`icon@2x.png`).
 *
 * Phone numbers, three shapes (anything else is not a phone, however many digits it has):
 * - international: `+` and a country code, then groups split by one space, dot or dash (an area code may sit in
 *   parentheses, `+49 (0)30 …`), 8–15 digits in all; or E.164 written solid, `+14155552671`;
 * - North American: `(415) 555-2671`, `415-555-2671`, `415.555.2671`, optionally `1-` first; area code and exchange
 *   start with 2–9;
 * - national numbers with a trunk `0` (UK, FR, DE, NL, …): `020 7946 0958`, `06-12345678`, `01 23 45 67 89`, 10 or 11
 *   digits with at least one separator after the area code.
 * A national number written as a plain run of digits is indistinguishable from an order id and is not matched; nor
 * are dates (`01.02.2024`, `2024-01-15`, `05-06-2023 10:30`), times, IP addresses or decimals.
 */
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'ico',
  'bmp',
  'tif',
  'tiff',
  'css',
  'js',
  'mjs',
  'ts',
  'map',
  'json',
  'html',
  'htm',
]);

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][\w.%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.){1,8}([A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9])/g;

export const email = regexDetector(
  'email',
  EMAIL,
  (match) => (FILE_EXTENSIONS.has((match[1] ?? '').toLowerCase()) ? undefined : spanOf(match)),
  '@',
);

const INTERNATIONAL = String.raw`\+[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,8}|[ .-]\d{1,8})(?:[ .-]\d{1,8}){1,5}|\+[1-9]\d{7,14}`;
const NORTH_AMERICAN = String.raw`(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}`;
const TRUNK = String.raw`(?:\(0[1-9]\d{0,4}\) ?|0[1-9]\d{0,4}[ .-])\d{2,8}(?:[ .-]\d{2,8}){0,3}`;
const PHONE = new RegExp(
  String.raw`(?<![\w+.\-/])(?:(?<intl>${INTERNATIONAL})|(?<nanp>${NORTH_AMERICAN})|(?<trunk>${TRUNK}))(?![\w:]|[.\-/]\d)`,
  'g',
);

// dd.mm.yyyy, dd-mm-yyyy, yyyy-mm-dd … as the first groups of a candidate.
const DATE_SHAPE = /^(?:\d{1,2}[ .-]\d{1,2}[ .-]\d{4}|\d{4}[ .-]\d{1,2}[ .-]\d{1,2})(?!\d)/;

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
}

function acceptPhone(match: RegExpExecArray): Span | undefined {
  const text = match[0];
  const digits = digitCount(text);
  const groups = match.groups ?? {};
  if (groups.intl !== undefined) return digits >= 8 && digits <= 15 ? spanOf(match) : undefined;
  if (DATE_SHAPE.test(text)) return undefined;
  if (groups.trunk !== undefined) return digits === 10 || digits === 11 ? spanOf(match) : undefined;
  return spanOf(match);
}

export const phone = regexDetector('phone', PHONE, acceptPhone);
