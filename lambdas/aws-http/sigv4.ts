import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentials } from './credentials.js';

/** A request as it is signed: the path as sent (still percent-encoded), the query by name, the body's bytes. */
export interface SignableRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export interface SigningScope {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly service: string;
  /** The signing time (tests fix it). */
  readonly date?: Date;
}

/** Headers a proxy may change on the way, never signed (as the AWS SDK's signer). */
const UNSIGNABLE: ReadonlySet<string> = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);
const unsignable = (name: string): boolean =>
  UNSIGNABLE.has(name) || name.startsWith('proxy-') || name.startsWith('sec-');

/** RFC 3986 escaping: encodeURIComponent plus the four characters it leaves. */
const escapeUri = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The canonical URI: `.` and `..` segments resolved, empty ones dropped, then escaped once more (not S3). A path
 * is absolute on the wire (`` → `/`, `a` → `/a`).
 */
function canonicalPath(given: string): string {
  const path = given.startsWith('/') ? given : `/${given}`;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`${lead}${segments.join('/')}${trail}`).replace(/%2F/g, '/');
}

function canonicalQuery(query: SignableRequest['query'] = {}): string {
  const pairs: { key: string; text: string }[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name.toLowerCase() === 'x-amz-signature') continue;
    const key = escapeUri(name);
    const values = typeof value === 'string' ? [value] : [...value];
    const text = values
      .map((one) => `${key}=${escapeUri(one)}`)
      .sort()
      .join('&');
    if (text !== '') pairs.push({ key, text });
  }
  return pairs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((pair) => pair.text)
    .join('&');
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** Derived signing keys by access key, day, region and service (a few per process; each derivation is 4 HMACs). */
const signingKeys = new Map<string, { secret: string; key: Buffer }>();

function signingKey(credentials: AwsCredentials, day: string, region: string, service: string): Buffer {
  const id = `${credentials.accessKeyId}/${day}/${region}/${service}`;
  const cached = signingKeys.get(id);
  if (cached !== undefined && cached.secret === credentials.secretAccessKey) return cached.key;
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  if (signingKeys.size >= 16) signingKeys.clear();
  signingKeys.set(id, { secret: credentials.secretAccessKey, key });
  return key;
}

/**
 * AWS Signature Version 4 in headers: returns the headers to add (`x-amz-date`, `x-amz-security-token` when the
 * credentials have a session token, `authorization`). Every header of the request is signed but those a proxy may
 * change; the payload is hashed (no `x-amz-content-sha256` header, which only S3 needs).
 */
export function signRequest(request: SignableRequest, scope: SigningScope): Record<string, string> {
  const { credentials, region, service } = scope;
  const stamp = (scope.date ?? new Date())
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const day = stamp.slice(0, 8);
  const added: Record<string, string> = { 'x-amz-date': stamp };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  const canonical = new Map<string, string>();
  for (const [name, value] of Object.entries({ ...request.headers, ...added })) {
    const lower = name.toLowerCase();
    if (unsignable(lower)) continue;
    canonical.set(
      lower,
      value
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .replace(/^ | $/g, ''),
    );
  }
  const names = [...canonical.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(request.query),
    ...names.map((name) => `${name}:${canonical.get(name) ?? ''}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const credentialScope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(credentials, day, region, service))
    .update(toSign)
    .digest('hex');
  added.authorization =
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}
