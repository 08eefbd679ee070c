import { bsnValid, codiceFiscaleValid, dniValid } from './checksums.js';
import { regexDetector, spanOf, type Span } from './detector.js';

/**
 * National identifiers whose shape or checksum keeps false positives rare.
 * - us_ssn: `123-45-6789` (or with spaces, the same separator twice); not area 000, 666 or 900–999, group 00 or
 *   serial 0000, nor the two numbers printed in advertising (078-05-1120, 219-09-9999). A solid 9-digit run is not
 *   matched: it could be anything.
 * - uk_nino: two prefix letters from the allowed sets (not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A–D.
 * - nl_bsn: nine digits passing the eleven test, only right after "BSN", "burgerservicenummer" or "sofinummer"
 *   (random 9-digit numbers pass the test one time in eleven, so the keyword is required).
 * - es_dni: DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter) with the right control letter.
 * - it_fiscal_code: codice fiscale (16 characters, omocodia letters allowed in digit positions) with its check letter.
 */
const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w]|[-.]\d)/g;
const ADVERTISED_SSNS = new Set(['078051120', '219099999']);

function acceptSsn(match: RegExpExecArray): Span | undefined {
  const [, area = '', , group = '', serial = ''] = match;
  const invalid =
    area === '000' ||
    area === '666' ||
    area.startsWith('9') ||
    group === '00' ||
    serial === '0000' ||
    ADVERTISED_SSNS.has(area + group + serial);
  return invalid ? undefined : spanOf(match);
}

export const usSsn = regexDetector('us_ssn', SSN, acceptSsn);

const NINO =
  /(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g;

export const ukNino = regexDetector('uk_nino', NINO);

const BSN =
  /\b(?:bsn|burgerservicenummer|sofi-?nummer)\b[^\d\n]{0,24}?(\d{4}[ .]?\d{2}[ .]?\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\w]|[.-]\d)/gi;

function acceptBsn(match: RegExpExecArray): Span | undefined {
  const number = match[1] ?? '';
  if (!bsnValid(number.replace(/[ .]/g, ''))) return undefined;
  const end = match.index + match[0].length;
  return { start: end - number.length, end };
}

export const nlBsn = regexDetector('nl_bsn', BSN, acceptBsn);

const DNI = /(?<![A-Za-z0-9])(?:\d{8}|[XYZ]\d{7})-?[A-Z](?![A-Za-z0-9])/g;

export const esDni = regexDetector('es_dni', DNI, (match) =>
  dniValid(match[0].replace('-', '')) ? spanOf(match) : undefined,
);

const CF_DIGIT = '[0-9LMNPQRSTUV]';
const CODICE_FISCALE = new RegExp(
  `(?<![A-Za-z0-9])[A-Z]{6}${CF_DIGIT}{2}[ABCDEHLMPRST]${CF_DIGIT}{2}[A-Z]${CF_DIGIT}{3}[A-Z](?![A-Za-z0-9])`,
  'g',
);

export const itFiscalCode = regexDetector('it_fiscal_code', CODICE_FISCALE, (match) =>
  codiceFiscaleValid(match[0]) ? spanOf(match) : undefined,
);
