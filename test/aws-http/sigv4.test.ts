import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../../lambdas/aws-http/credentials.js';
import { signRequest, type SignableRequest } from '../../lambdas/aws-http/sigv4.js';

// lambdas/aws-http/sigv4.ts against the AWS SDK's signer (@smithy/signature-v4, without the S3-only
// x-amz-content-sha256 header) on generated requests at fixed dates: the same x-amz-date, x-amz-security-token and
// authorization, byte for byte.

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function generator(seed: number): { int(n: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] as never };
}

const PATHS = [
  '/',
  '',
  '/a/b/c',
  '/a b/c+d',
  '/%41%2Fb/x',
  '/./x/../y/',
  '//double//slash//',
  '/ünïcödé/€/😀',
  "/it's(*)!~/_-.",
  '/path/with%20space/',
  '/..',
  '/a/./b/../../c',
  '/colon:semi;at@/eq=amp&',
];
const WORDS = ['', 'a', 'A b', 'x=y', 'p&q', 'ü€', '*', "it's", '~_-.', '%20', 'a+b', '😀', '!()', 'x/y'];
const HEADER_NAMES = [
  'content-type',
  'X-Amz-Target',
  'x-amz-meta-Custom',
  'User-Agent',
  'x-amzn-trace-id',
  'Proxy-Thing',
  'sec-fetch-mode',
  'Cache-Control',
  'expect',
  'x-empty',
  'Accept',
];
const VALUES = [
  'application/x-amz-json-1.0',
  '  spaced   out  ',
  'tab\tinside',
  'a,b, c',
  '',
  'DynamoDB_20120810.GetItem',
];

function generated(seed: number): { request: SignableRequest; credentials: AwsCredentials; date: Date } {
  const g = generator(seed);
  const query: Record<string, string | string[]> = {};
  for (let i = g.int(4); i > 0; i--) {
    const key = g.pick(WORDS) || 'k';
    query[key] = g.int(3) === 0 ? [g.pick(WORDS), g.pick(WORDS), g.pick(WORDS)] : g.pick(WORDS);
  }
  const headers: Record<string, string> = { host: g.pick(['dynamodb.us-east-1.amazonaws.com', '127.0.0.1:8000']) };
  for (let i = g.int(5); i > 0; i--) headers[g.pick(HEADER_NAMES)] = g.pick(VALUES);
  const text = Array.from({ length: g.int(40) }, () => g.pick(WORDS)).join(' ');
  const body = g.int(3) === 0 ? new TextEncoder().encode(text) : text;
  const credentials: AwsCredentials =
    g.int(2) === 0
      ? { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
      : { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: `secret-${seed}`, sessionToken: `token/${seed}+==` };
  const date = new Date(Date.UTC(2026, g.int(12), 1 + g.int(28), g.int(24), g.int(60), g.int(60), g.int(1000)));
  return {
    request: { method: g.pick(['GET', 'POST', 'PUT', 'DELETE']), path: g.pick(PATHS), query, headers, body },
    credentials,
    date,
  };
}

async function sdkSigned(
  request: SignableRequest,
  credentials: AwsCredentials,
  date: Date,
  region: string,
  service: string,
): Promise<Record<string, string | undefined>> {
  const identity =
    credentials.sessionToken === undefined
      ? { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }
      : { ...credentials, sessionToken: credentials.sessionToken };
  const signer = new SignatureV4({ service, region, credentials: identity, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'https:',
      hostname: 'example.com',
      path: request.path,
      query: { ...request.query } as Record<string, string | string[]>,
      headers: { ...request.headers },
      body: request.body,
    }),
    { signingDate: date },
  );
  const headers = signed.headers as Record<string, string>;
  return {
    'x-amz-date': headers['x-amz-date'],
    'x-amz-security-token': headers['x-amz-security-token'],
    authorization: headers.authorization,
  };
}

it('signs 300 generated requests exactly as the AWS SDK signer does', async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { request, credentials, date } = generated(seed);
    const region = seed % 2 === 0 ? 'us-east-1' : 'eu-west-3';
    const service = seed % 3 === 0 ? 'secretsmanager' : 'dynamodb';
    const mine = signRequest(request, { credentials, region, service, date });
    const expected = await sdkSigned(request, credentials, date, region, service);
    expect({ seed, ...mine }).toEqual({
      seed,
      'x-amz-date': expected['x-amz-date'],
      ...(expected['x-amz-security-token'] === undefined
        ? {}
        : { 'x-amz-security-token': expected['x-amz-security-token'] }),
      authorization: expected.authorization,
    });
  }
});

it('a cached signing key is not reused for another secret with the same access key id', () => {
  const request: SignableRequest = { method: 'POST', path: '/', headers: { host: 'h' }, body: '{}' };
  const date = new Date(Date.UTC(2026, 11, 7));
  const scope = { region: 'us-east-1', service: 'dynamodb', date };
  const first = signRequest(request, { ...scope, credentials: { accessKeyId: 'AKID', secretAccessKey: 'one' } });
  const second = signRequest(request, { ...scope, credentials: { accessKeyId: 'AKID', secretAccessKey: 'two' } });
  expect(first.authorization).not.toEqual(second.authorization);
});
