/**
 * The PII detectors a plan can enable, in priority order: where two detectors match overlapping text, the earlier
 * one wins (a private key's body is not also a run of phone numbers; an IBAN's digits are not also a card).
 */
export const DETECTOR_NAMES = [
  'private_key',
  'jwt',
  'api_key',
  'iban',
  'card',
  'us_ssn',
  'uk_nino',
  'nl_bsn',
  'es_dni',
  'it_fiscal_code',
  'email',
  'phone',
] as const;

export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** What replaces a match: `[REDACTED:email]`. */
export const placeholder = (detector: DetectorName): string => `[REDACTED:${detector}]`;
