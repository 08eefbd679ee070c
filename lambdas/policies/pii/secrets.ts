import { KEY_LENGTH, KEY_PREFIX } from '../../keys/key-format.js';
import { regexDetector, spanOf, type Detector, type Span } from './detector.js';

/**
 * Credentials. A match must stand alone (no letters, digits, "_" or "-" glued on either side), so `sk-` inside a
 * word (`task-`, `risk-assessment`) is never a key.
 * - api_key: OpenAI `sk-…` / `sk-proj-…` (20+ characters mixing upper case, lower case and digits, so kebab-case
 *   names like `sk-button-primary-large` are not keys), Anthropic `sk-ant-…`, AWS access key ids `AKIA`/`ASIA` + 16,
 *   GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 and `github_pat_…`, Slack `xox?-…`, Google `AIza` + 35, and this
 *   gateway's own `lgw_` keys.
 * - jwt: three base64url segments whose header decodes to a JSON object with an `alg`.
 * - private_key: a PEM `-----BEGIN … PRIVATE KEY-----` block through its END line; without an END line (a truncated
 *   paste, or a stream still arriving), the BEGIN line and the base64 lines that follow it.
 */
const lgwBody = KEY_LENGTH - KEY_PREFIX.length;
const API_KEY = new RegExp(
  '(?<![A-Za-z0-9_-])(?:' +
    [
      '(?<anthropic>sk-ant-[A-Za-z0-9_-]{20,256})',
      '(?<openai>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,256})',
      '(?:AKIA|ASIA)[A-Z2-7]{16}',
      'gh[pousr]_[A-Za-z0-9]{36,251}',
      'github_pat_[A-Za-z0-9_]{22,244}',
      '(?<slack>xox[abposr]-[A-Za-z0-9-]{10,250})',
      'AIza[A-Za-z0-9_-]{35}',
      `${KEY_PREFIX}[A-Za-z0-9]{${lgwBody}}`,
    ].join('|') +
    ')(?![A-Za-z0-9_-])',
  'g',
);

const hasDigit = /\d/;
const hasLower = /[a-z]/;
const hasUpper = /[A-Z]/;

function acceptApiKey(match: RegExpExecArray): Span | undefined {
  const groups = match.groups ?? {};
  const random = groups.anthropic ?? groups.openai;
  if (random !== undefined && !(hasDigit.test(random) && hasLower.test(random) && hasUpper.test(random)))
    return undefined;
  if (groups.slack !== undefined && !hasDigit.test(groups.slack)) return undefined;
  return spanOf(match);
}

export const apiKey = regexDetector('api_key', API_KEY, acceptApiKey);

const JWT =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,4096}\.eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,4096}(?![A-Za-z0-9_-])/g;

function acceptJwt(match: RegExpExecArray): Span | undefined {
  const header = match[0].slice(0, match[0].indexOf('.'));
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && 'alg' in parsed ? spanOf(match) : undefined;
  } catch {
    return undefined;
  }
}

export const jwt = regexDetector('jwt', JWT, acceptJwt, 'eyJ');

const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/y;
// Whole lines of base64 after the BEGIN line, line breaks raw or JSON-escaped (a key inside tool-call arguments).
const PEM_BODY = /(?:(?:\r?\n|\\r\\n|\\n)[A-Za-z0-9+/=]{0,128}(?=[\r\n"'`]|\\[rn]|$))*/y;
const MAX_PEM_CHARS = 16_384;

/** Where the block that starts its body at `bodyStart` ends; `end` is the first "-----END " at or after it, or -1. */
function pemEnd(text: string, bodyStart: number, end: number): number {
  if (end >= 0 && end - bodyStart <= MAX_PEM_CHARS) {
    PEM_END.lastIndex = end;
    if (PEM_END.test(text)) return PEM_END.lastIndex;
  }
  PEM_BODY.lastIndex = bodyStart;
  PEM_BODY.test(text);
  return PEM_BODY.lastIndex;
}

export const privateKey: Detector = {
  name: 'private_key',
  find(text) {
    if (!text.includes('PRIVATE KEY')) return [];
    const spans: Span[] = [];
    // The first END marker after the current block; searched again only when a block starts past it, so many BEGIN
    // lines without an END cost one scan, not one each.
    let nextEnd = -2;
    PEM_BEGIN.lastIndex = 0;
    for (let match = PEM_BEGIN.exec(text); match !== null; match = PEM_BEGIN.exec(text)) {
      const bodyStart = match.index + match[0].length;
      if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
      const end = pemEnd(text, bodyStart, nextEnd);
      spans.push({ start: match.index, end });
      PEM_BEGIN.lastIndex = end;
    }
    return spans;
  },
};
