import { ibanMod97Valid, luhnValid } from './checksums.js';
import { regexDetector, spanOf, type Span } from './detector.js';
import { IBAN_LENGTHS } from './iban-lengths.js';

/**
 * Payment cards and IBANs, each confirmed by its check digits.
 *
 * Card: 13–19 digits, solid or grouped by spaces or dashes (one kind of separator; groups of 4 with a shorter last
 * one, or Amex/Diners 4-6-5 / 4-6-4), a known issuer prefix with a length that issuer uses, and a valid Luhn check.
 * A number that fails Luhn, has an unknown prefix, or is part of a longer digit run or a decimal is not a card.
 *
 * IBAN: country code, two check digits, then the account in groups of four (spaces optional), of exactly the
 * length the country's IBANs have, with a valid mod-97 check.
 */
interface IssuerRange {
  readonly from: string;
  readonly to: string;
  readonly lengths: readonly number[];
}

const range = (from: string, to: string, lengths: readonly number[]): IssuerRange => ({ from, to, lengths });
const UP_TO_19 = [16, 17, 18, 19];

const ISSUERS: readonly IssuerRange[] = [
  range('4', '4', [13, 16, 19]), // Visa
  range('51', '55', [16]), // Mastercard
  range('2221', '2720', [16]), // Mastercard 2-series
  range('34', '34', [15]), // American Express
  range('37', '37', [15]),
  range('6011', '6011', UP_TO_19), // Discover
  range('644', '649', UP_TO_19),
  range('65', '65', UP_TO_19),
  range('300', '305', [14, ...UP_TO_19]), // Diners Club
  range('36', '36', [14, ...UP_TO_19]),
  range('38', '39', [16, 17, 18, 19]),
  range('3528', '3589', UP_TO_19), // JCB
  range('62', '62', UP_TO_19), // UnionPay
  range('81', '81', UP_TO_19),
  range('2200', '2204', UP_TO_19), // Mir
  range('50', '50', [13, 14, 15, ...UP_TO_19]), // Maestro
  range('56', '58', [13, 14, 15, ...UP_TO_19]),
  range('60', '60', UP_TO_19), // RuPay, Maestro
  range('63', '63', [13, 14, 15, ...UP_TO_19]),
  range('67', '67', [13, 14, 15, ...UP_TO_19]),
];

function knownIssuer(digits: string): boolean {
  return ISSUERS.some((issuer) => {
    const prefix = digits.slice(0, issuer.from.length);
    return prefix >= issuer.from && prefix <= issuer.to && issuer.lengths.includes(digits.length);
  });
}

function cardGrouping(candidate: string): boolean {
  const separators = candidate.match(/[ -]/g);
  if (separators === null) return true;
  if (new Set(separators).size > 1) return false;
  const lengths = candidate
    .split(/[ -]/)
    .map((group) => group.length)
    .join('-');
  return /^(?:4-)+[1-4]$/.test(lengths) || lengths === '4-6-5' || lengths === '4-6-4';
}

const CARD = /(?<![\w.,+-])\d(?:[ -]?\d){12,18}(?![\w]|[.,]\d)/g;

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/** True when the candidate is some groups of a longer grouped number: `1111 4111 1111 1111 1111`. */
function partOfLongerNumber(match: RegExpExecArray): boolean {
  const separator = /[ -]/.exec(match[0])?.[0];
  if (separator === undefined) return false;
  const { input, index } = match;
  const end = index + match[0].length;
  return (
    (input[end] === separator && isDigit(input[end + 1])) ||
    (input[index - 1] === separator && isDigit(input[index - 2]))
  );
}

function acceptCard(match: RegExpExecArray): Span | undefined {
  const digits = match[0].replace(/[ -]/g, '');
  return cardGrouping(match[0]) && !partOfLongerNumber(match) && knownIssuer(digits) && luhnValid(digits)
    ? spanOf(match)
    : undefined;
}

export const card = regexDetector('card', CARD, acceptCard);

const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/gi;

/** The IBAN at the start of a candidate, which may have taken a following word as a group ("… 7034 Thanks"). */
function acceptIban(match: RegExpExecArray): Span | undefined {
  const candidate = match[0];
  const length = IBAN_LENGTHS[candidate.slice(0, 2).toUpperCase()];
  if (length === undefined) return undefined;
  let end = 0;
  let iban = '';
  for (; end < candidate.length && iban.length < length; end += 1) if (candidate[end] !== ' ') iban += candidate[end];
  if (iban.length !== length || (end < candidate.length && candidate[end] !== ' ')) return undefined;
  return ibanMod97Valid(iban.toUpperCase()) ? { start: match.index, end: match.index + end } : undefined;
}

export const iban = regexDetector('iban', IBAN, acceptIban);
