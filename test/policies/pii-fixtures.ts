import { detectorsNamed } from '../../lambdas/policies/pii/detectors.js';
import { DETECTOR_NAMES, type DetectorName } from '../../lambdas/policies/pii/names.js';
import { findPii, redactFindings } from '../../lambdas/policies/pii/scan.js';

/** Every detector, in priority order. */
export const ALL_DETECTORS = detectorsNamed(DETECTOR_NAMES);

/** `text` redacted by the detectors named (all when none). */
export function redacted(text: string, names: readonly DetectorName[] = DETECTOR_NAMES): string {
  return redactFindings(text, findPii(text, detectorsNamed(names)));
}

/** The detectors that fire on `text`, one entry per finding, in text order. */
export const found = (text: string): DetectorName[] => findPii(text, ALL_DETECTORS).map((finding) => finding.detector);

/** A syntactically valid-looking key body: 40 base62 characters mixing cases and digits (not a real key). */
export const FAKE_OPENAI_KEY = 'sk-proj-Xq7mT2vLp9RkW4nZc8HbJ3sYf6GdA1eUoK5iN0tQ';
export const FAKE_ANTHROPIC_KEY = 'sk-ant-api03-Zx9Lm2Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzXcVbNm-AbCdEfGh_AA';
export const FAKE_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
