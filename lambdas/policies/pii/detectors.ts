import { email, phone } from './contact.js';
import type { Detector } from './detector.js';
import { card, iban } from './financial.js';
import { DETECTOR_NAMES, type DetectorName } from './names.js';
import { esDni, itFiscalCode, nlBsn, ukNino, usSsn } from './national-ids.js';
import { apiKey, jwt, privateKey } from './secrets.js';

const ALL: Readonly<Record<DetectorName, Detector>> = {
  private_key: privateKey,
  jwt,
  api_key: apiKey,
  iban,
  card,
  us_ssn: usSsn,
  uk_nino: ukNino,
  nl_bsn: nlBsn,
  es_dni: esDni,
  it_fiscal_code: itFiscalCode,
  email,
  phone,
};

/** The detectors named, in priority order (DETECTOR_NAMES), whatever order the configuration lists them in. */
export function detectorsNamed(names: readonly DetectorName[]): readonly Detector[] {
  const wanted = new Set(names);
  return DETECTOR_NAMES.filter((name) => wanted.has(name)).map((name) => ALL[name]);
}
