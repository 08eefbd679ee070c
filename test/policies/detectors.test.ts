import { generateKey } from '../../lambdas/keys/key-format.js';
import { FAKE_ANTHROPIC_KEY, FAKE_JWT, FAKE_OPENAI_KEY, found, redacted } from './pii-fixtures.js';

describe('pii: e-mail', () => {
  it('redacts addresses with subdomains, plus tags and country TLDs', () => {
    expect(redacted('Reach me at jane.doe+billing@mail.acme.co.uk, or ops@acme.io.')).toBe(
      'Reach me at [REDACTED:email], or [REDACTED:email].',
    );
  });

  it('does not take handles, package versions, localhost or @2x asset names for addresses', () => {
    const text = 'Ping @bob; install lodash@4.17.21; ssh root@localhost; use icon@2x.png and logo@3x.webp';
    expect(found(text)).toEqual([]);
  });
});

describe('pii: phone numbers', () => {
  const NUMBERS = [
    '+14155552671', // E.164 written solid
    '+44 20 7946 0958', // international, grouped
    '+49 (0)30 1234567', // international with the trunk (0)
    '+1 (415) 555-2671', // international with the area code in parentheses
    '415-555-2671', // North American: dashed, dotted, parenthesised, with trunk 1
    '415.555.2671',
    '(415) 555-2671',
    '1-800-555-0199',
    '020 7946 0958', // national with trunk 0: UK landline and mobile, French pairs, Dutch mobile
    '07700 900123',
    '01 23 45 67 89',
    '06-12345678',
  ];

  it.each(NUMBERS)('redacts %s', (number) => {
    expect(redacted(`call ${number} today`, ['phone'])).toBe('call [REDACTED:phone] today');
  });

  it.each([
    ['an order id', 'order 100245789 shipped'],
    ['a long plain number', 'tracking 1234567890123'],
    ['a 10-digit plain national number', 'ref 0207946095'],
    ['an ISO date', 'due 2024-01-15'],
    ['a European date', 'due 15/01/2024 or 01.02.2024'],
    ['a date with a time', 'at 05-06-2023 10:30'],
    ['a date and a count', 'delivered 01.02.2024 15 boxes'],
    ['an ISO timestamp', '2024-01-15T10:30:00Z'],
    ['an IP address', 'host 192.168.10.254'],
    ['a version', 'v10.2.3456'],
    ['a decimal', 'total 4155552671.50 USD'],
    ['a short + expression', 'x +1 2 3'],
  ])('leaves %s alone', (_what, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('pii: payment cards', () => {
  it.each([
    ['Visa grouped', '4539 1488 0343 6467'],
    ['Visa solid', '4111111111111111'],
    ['Mastercard dashed', '5555-5555-5555-4444'],
    ['Amex 4-6-5', '3782 822463 10005'],
    ['Discover', '6011 1111 1111 1117'],
    ['JCB', '3530111333300000'],
  ])('redacts %s', (_issuer, number) => {
    expect(redacted(`card: ${number}.`, ['card'])).toBe('card: [REDACTED:card].');
  });

  it('does not redact a 16-digit number that fails Luhn', () => {
    expect(found('card 4111 1111 1111 1112')).toEqual([]);
    expect(found('card 4539148803436468')).toEqual([]);
  });

  it('does not redact a Luhn-valid number with no card issuer prefix (an order id)', () => {
    expect(found('order 1234567890123452 and 9999999999999995')).toEqual([]);
  });

  it('does not redact a card number glued into a longer number, a decimal, or an odd grouping', () => {
    expect(found('1111 4111 1111 1111 1111')).toEqual([]);
    expect(found('41111111111111111')).toEqual([]); // 17 digits, Visa has 13/16/19
    expect(found('4111111111111111.25')).toEqual([]);
    expect(found('41 1111 1111 1111 11')).toEqual([]);
  });

  it('a wrong length for the issuer is not a card (Amex is 15 digits)', () => {
    expect(found('3782 8224 6310 0052')).toEqual([]);
  });
});

describe('pii: IBAN', () => {
  it.each([
    ['GB82 WEST 1234 5698 7654 32'],
    ['DE89370400440532013000'],
    ['NL91 ABNA 0417 1643 00'],
    ['FR14 2004 1010 0505 0001 3M02 606'],
    ['be68 5390 0754 7034'],
  ])('redacts %s', (iban) => {
    expect(redacted(`pay to ${iban} please`, ['iban'])).toBe('pay to [REDACTED:iban] please');
  });

  it('does not redact an IBAN with a wrong check digit or a wrong length for its country', () => {
    expect(found('pay to GB83 WEST 1234 5698 7654 32')).toEqual([]);
    expect(found('pay to DE8937040044053201300')).toEqual([]); // 21 characters; German IBANs have 22
    expect(found('pay to XX89370400440532013000')).toEqual([]); // no such country
  });

  it('an IBAN ending on a full group followed by a word', () => {
    expect(redacted('IBAN BE68 5390 0754 7034 Thanks!', ['iban'])).toBe('IBAN [REDACTED:iban] Thanks!');
  });

  it('an IBAN is one finding, not also a card or a phone number', () => {
    expect(found('DE89 3704 0044 0532 0130 00')).toEqual(['iban']);
  });
});

describe('pii: national ids', () => {
  it('US SSN, not the invalid ranges or advertised numbers', () => {
    expect(redacted('SSN 536-80-4398', ['us_ssn'])).toBe('SSN [REDACTED:us_ssn]');
    for (const invalid of [
      '000-12-3456',
      '666-12-3456',
      '912-34-5678',
      '536-00-4398',
      '536-80-0000',
      '078-05-1120',
      '219-09-9999',
    ]) {
      expect(found(`SSN ${invalid}`)).toEqual([]);
    }
    expect(found('SSN 536 80-4398')).toEqual([]); // mixed separators
    expect(found('id 536804398')).toEqual([]); // solid: could be anything
  });

  it('UK NINO, not excluded prefixes', () => {
    expect(redacted('NI number AB 12 34 56 C', ['uk_nino'])).toBe('NI number [REDACTED:uk_nino]');
    expect(redacted('NI number JG103726A', ['uk_nino'])).toBe('NI number [REDACTED:uk_nino]');
    expect(found('QQ123456C')).toEqual([]); // Q is never a first letter
    expect(found('GB123456A')).toEqual([]); // GB is not allocated
    expect(found('AB123456E')).toEqual([]); // suffix only A-D
  });

  it('Dutch BSN: eleven test and a keyword before it', () => {
    expect(redacted('BSN: 111222333', ['nl_bsn'])).toBe('BSN: [REDACTED:nl_bsn]');
    expect(redacted('mijn burgerservicenummer is 1234.56.782', ['nl_bsn'])).toBe(
      'mijn burgerservicenummer is [REDACTED:nl_bsn]',
    );
    expect(found('BSN: 123456789')).toEqual([]); // fails the eleven test
    expect(found('invoice 111222333')).toEqual([]); // passes the test, but no keyword
  });

  it('Spanish DNI and NIE with their control letter', () => {
    expect(redacted('DNI 12345678Z, NIE X1234567L', ['es_dni'])).toBe('DNI [REDACTED:es_dni], NIE [REDACTED:es_dni]');
    expect(found('DNI 12345678A')).toEqual([]);
    expect(found('NIE X1234567A')).toEqual([]);
  });

  it('Italian codice fiscale with its check letter', () => {
    expect(redacted('CF: RSSMRA85T10A562S', ['it_fiscal_code'])).toBe('CF: [REDACTED:it_fiscal_code]');
    expect(found('CF: RSSMRA85T10A562T')).toEqual([]);
  });
});

describe('pii: secrets', () => {
  it.each([
    ['OpenAI project key', FAKE_OPENAI_KEY],
    ['OpenAI legacy key', 'sk-Ab3dEfGhIjKlMnOpQrStT3BlbkFJUvWxYz0123456789abcd'],
    ['Anthropic key', FAKE_ANTHROPIC_KEY],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS temporary key id', 'ASIAY34FZKBOKMUTVV7A'],
    ['GitHub token', 'ghp_1234567890abcdefghijABCDEFGHIJ123456'],
    [
      'GitHub fine-grained token',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345678',
    ],
    ['Slack token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['Google API key', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    ['gateway key', generateKey()],
  ])('redacts an %s', (_kind, key) => {
    expect(redacted(`export KEY="${key}"`, ['api_key'])).toBe('export KEY="[REDACTED:api_key]"');
  });

  it('sk- inside words and kebab-case names are not keys', () => {
    const text =
      'task-force-assignment-2024-list, risk-assessment-framework-Doc1, sk-learn, ' +
      'sk-button-primary-large-variant-hover, sk-menu-item-selected-state-2, disk-XqmT2vLp9RkW4nZc8HbJ3sYf6GdA1eUo, sk-short1A';
    expect(found(text)).toEqual([]);
  });

  it('a key glued to more key characters is not matched by halves', () => {
    expect(found(`x${FAKE_OPENAI_KEY}`)).toEqual([]);
    expect(found('AKIAIOSFODNN7EXAMPLEX')).toEqual([]);
  });

  it('a JWT; three dotted base64 words that are not a JWT are left alone', () => {
    expect(redacted(`Authorization: Bearer ${FAKE_JWT}`, ['jwt'])).toBe('Authorization: Bearer [REDACTED:jwt]');
    expect(found('eyJub3QiOiJqd3QifQ.eyJzdWIiOiIxIn0.sig')).toEqual([]); // header without "alg"
    expect(found('eyJhbGciOi.eyJzdWIiOi.abc')).toEqual([]); // header is not JSON
  });

  it('a PEM private key block, in prose and inside JSON tool arguments', () => {
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM\nkQ8pFjX0ZW1lXQ==\n-----END RSA PRIVATE KEY-----';
    expect(redacted(`key:\n${pem}\nthanks`, ['private_key'])).toBe('key:\n[REDACTED:private_key]\nthanks');
    const args = JSON.stringify({ key: pem, host: 'db1' });
    const out = redacted(args, ['private_key']);
    expect(JSON.parse(out)).toEqual({ key: '[REDACTED:private_key]', host: 'db1' });
  });

  it('an unterminated PEM block: the BEGIN line and the base64 lines, not the prose after them', () => {
    const text =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nAAAAEbm9uZQ==\n\nIs this format right?';
    expect(redacted(text, ['private_key'])).toBe('[REDACTED:private_key]\nIs this format right?');
    expect(found('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEF\n-----END PUBLIC KEY-----')).toEqual([]);
  });
});

describe('pii: a realistic support message', () => {
  it('redacts each kind once, keeps the order id, the date and the amount', () => {
    const message =
      "Hi, I'm Jane (jane.doe@acme.io, +44 7700 900123). My card 4539 1488 0343 6467 was charged twice " +
      'for order #100245789 on 2024-03-15 (EUR 1,249.00). Refund to NL91 ABNA 0417 1643 00 please.';
    expect(redacted(message)).toBe(
      "Hi, I'm Jane ([REDACTED:email], [REDACTED:phone]). My card [REDACTED:card] was charged twice " +
        'for order #100245789 on 2024-03-15 (EUR 1,249.00). Refund to [REDACTED:iban] please.',
    );
  });
});

describe('pii: cost on adversarial input', () => {
  // Backtracking regexes take seconds to hours on these; the detectors take a few milliseconds (bound generous for
  // a loaded CI machine).
  it.each([
    ['one digit', '1'.repeat(100_000)],
    ['spaced digits', '1 '.repeat(50_000)],
    ['letters', 'a'.repeat(100_000)],
    ['at-signs and dots', 'a@a.'.repeat(25_000)],
    ['plus-prefixed numbers', '+1 '.repeat(33_000)],
    ['key prefixes', 'sk-'.repeat(33_000)],
    ['JWT-like segments', 'eyJabc.'.repeat(14_000)],
    ['unterminated PEM headers', '-----BEGIN PRIVATE KEY-----\n'.repeat(3_500)],
  ])('100 KB of %s scans in linear time', (_what, text) => {
    const started = performance.now();
    found(text);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
