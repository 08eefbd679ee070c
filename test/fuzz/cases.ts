import { routes, type RouteSpec } from '../../lambdas/api/routes.js';
import type { Prng } from './prng.js';
import type { RawRequest } from './raw-http.js';

/** The credentials a run has: keys of the gateway under test. */
export interface FuzzKeys {
  /** chat scope, default plan. */
  readonly chat: string;
  /** chat and usage:read, on the plan with every policy. */
  readonly guarded: string;
  readonly admin: string;
}

export interface FuzzCase extends RawRequest {
  /** What was done to the request, for the failure report. */
  readonly mutations: readonly string[];
}

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const ODD_METHODS = [
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'PROPFIND',
  'MKCOL',
  'LINK',
  'QUERY',
  'SEARCH',
  'CONNECT',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json;;;',
  'application/jsonx',
  'APPLICATION/JSON',
  'application/json, text/plain',
  '',
  '\u00ff\u00fe',
];
const EXTRA_PATHS = [
  '/v1/messages/count_tokens',
  '/v1/messages/batches',
  '/v1/chat/completions/x',
  '/v1/requests/%ZZ',
  '/v1/requests/%',
  '/v1/requests/%E2%82',
  '/v1/requests/req_%00',
  '/admin/keys/%ZZ/revoke',
  '/admin/keys/key_%2F..%2F',
  '/docs/%2e%2e%2fpackage.json',
  '/docs/__proto__',
  '/docs/constructor',
  '//v1/models',
  '/v1//models',
  '/v1/models/',
  '/%',
  '/nothing',
  '/v1/__proto__',
  '/health/live/',
  '/openapi.json/constructor',
];

/** A body the route accepts as it is: the starting point the mutations break. */
function validBody(route: RouteSpec, rng: Prng): unknown {
  switch (route.path) {
    case '/v1/chat/completions':
    case '/v1/chat':
      return {
        model: rng.pick(['demo', 'fanout']),
        messages: [{ role: 'user', content: 'hello' }],
        ...(rng.chance(0.3) ? { stream: true } : {}),
        ...(rng.chance(0.3)
          ? { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }] }
          : {}),
      };
    case '/v1/messages':
      return {
        model: 'demo',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hello' }],
        ...(rng.chance(0.3) ? { stream: true } : {}),
      };
    case '/v1/feedback':
      return { request_id: `req_${rng.text(20)}`, score: 0.5 };
    case '/admin/keys':
      return { tenant: `fuzz-${rng.text(4)}`, plan: rng.pick(['default', 'guarded', ...PROTOTYPE_NAMES]) };
    case '/admin/keys/{keyId}/rotate':
      return { graceSeconds: 10 };
    default:
      return {};
  }
}

/** A JSON value nested `depth` levels (objects or arrays), built without recursion. */
export function nested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const junkValues = (rng: Prng): unknown =>
  rng.pick<unknown>([
    null,
    true,
    0,
    -1,
    1e308,
    -0,
    'x',
    '',
    [],
    {},
    [null],
    { __proto__: null },
    'a'.repeat(rng.int(1, 5000)),
    2 ** 64,
  ]);

/** Replaces a random field somewhere in `value` with a value of another type. */
function wrongType(value: unknown, rng: Prng): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rng.chance(0.3)) return junkValues(rng);
    const copy = [...(value as unknown[])];
    const i = rng.int(0, copy.length - 1);
    copy[i] = wrongType(copy[i], rng);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0 || rng.chance(0.3)) return junkValues(rng);
    const [name, inner] = rng.pick(entries);
    return { ...value, [name]: wrongType(inner, rng) };
  }
  return junkValues(rng);
}

type BodyMutation = (text: string, rng: Prng, mutations: string[]) => string | Buffer;

/** Ways to spoil a JSON body text; each says what it did. */
const BODY_MUTATIONS: readonly BodyMutation[] = [
  (text, rng, m) => (m.push('wrong type'), JSON.stringify(wrongType(JSON.parse(text), rng))),
  (text, rng, m) => {
    const depth = rng.pick([100, 1000, 5000, 20000]);
    const kind = rng.pick(['object', 'array'] as const);
    m.push(`nested ${depth} ${kind}s in a tool's parameters`);
    const body = JSON.parse(text) as Record<string, unknown>;
    const tools = `[{"type":"function","function":{"name":"f","parameters":${nested(depth, kind)}}}]`;
    return `${JSON.stringify({ ...body, tools: '@@' }).replace('"@@"', tools)}`;
  },
  (text, rng, m) => {
    const depth = rng.pick([1000, 5000]);
    m.push(`nested ${depth} in response_format.json_schema`);
    const body = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify({ ...body, response_format: '@@' }).replace(
      '"@@"',
      `{"type":"json_schema","json_schema":{"name":"s","schema":${nested(depth, 'object')}}}`,
    );
  },
  (_text, rng, m) => {
    const depth = rng.pick([5000, 50000]);
    m.push(`a body nested ${depth} deep`);
    return nested(depth, rng.pick(['object', 'array'] as const));
  },
  (text, rng, m) => {
    const size = rng.pick([70_000, 300_000, 1_100_000]);
    m.push(`a ${size}-character string`);
    const body = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify({ ...body, messages: [{ role: 'user', content: rng.text(size % 10) + 'x'.repeat(size) }] });
  },
  (text, rng, m) => {
    m.push('invalid UTF-8 inside a string');
    const bad = rng.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]);
    const at = text.indexOf('"', 1) + 1 || 1;
    return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bad), Buffer.from(text.slice(at))]);
  },
  (text, _rng, m) => (
    m.push('lone surrogate escapes'),
    text.replace(/"hello"|"x"|"fuzz-/, (s) => `"\\ud800\\udfff\\udc00${s.slice(1)}`)
  ),
  (text, rng, m) => {
    const name = rng.pick(['model', 'messages', 'stream', 'tenant', 'score', 'plan']);
    m.push(`duplicate key ${name}`);
    return text.replace(/^\{/, `{"${name}":${JSON.stringify(junkValues(rng))},`);
  },
  (text, rng, m) => {
    const name = rng.pick(PROTOTYPE_NAMES);
    m.push(`prototype key ${name}`);
    const value = rng.pick(['{"polluted":1,"model":"x"}', 'null', '"x"', '[1]', '{"__proto__":{"y":1}}']);
    const where = rng.int(0, 2);
    if (where === 0) return text.replace(/^\{/, `{"${name}":${value},`);
    if (where === 1) return text.replace(/"role":"user"/, `"role":"user","${name}":${value}`);
    return text.replace(/"parameters":\{/, `"parameters":{"${name}":${value},`);
  },
  (_text, rng, m) => {
    const junk = rng.pick([
      '',
      '{',
      '[',
      'null',
      '"x"',
      '1',
      'true',
      '{"a":1}}',
      '\u0000',
      '{"model":"demo",}',
      'NaN',
      '{}'.repeat(100),
      '\uFEFF{}',
    ]);
    m.push(`body ${JSON.stringify(junk.slice(0, 20))}`);
    return junk;
  },
];

function targetWithQuery(path: string, rng: Prng, mutations: string[]): string {
  if (!rng.chance(0.4)) return path;
  const pairs = [
    () => `${rng.pick(PROTOTYPE_NAMES)}=1`,
    () => 'from=2026-13-45',
    () => 'from=2026-01-01&from=2026-01-02',
    () => `to=${'9'.repeat(rng.int(1, 400))}`,
    () => 'model=%ZZ',
    () => `key_id=${rng.pick(['key_', 'key_%00', '__proto__'])}`,
    () => `tenant=${rng.pick(['..', '%2F', 'constructor', 'a'.repeat(200)])}`,
    () => `x=${'%'.repeat(rng.int(1, 50))}`,
    () => '&&&==&',
    () => `a[]=1&a[b]=2&${'q'.repeat(rng.int(1, 3000))}=1`,
  ];
  const query = Array.from({ length: rng.int(1, 3) }, () => rng.pick(pairs)()).join('&');
  mutations.push(`query ${query.slice(0, 60)}`);
  return `${path}?${query}`;
}

function authHeaders(route: RouteSpec | undefined, keys: FuzzKeys, rng: Prng, mutations: string[]): [string, string][] {
  const roll = rng.int(0, 9);
  if (roll === 0) return (mutations.push('no credentials'), []);
  if (roll === 1) {
    const junk = rng.pick([
      'Bearer',
      'Bearer ',
      'Basic Og==',
      `Bearer ${keys.chat} extra`,
      `Bearer lgw_${rng.text(40)}`,
      `bearer ${keys.chat}`,
      'Bearer \u00ff',
      `Bearer ${'a'.repeat(4000)}`,
    ]);
    mutations.push(`authorization ${JSON.stringify(junk.slice(0, 30))}`);
    return [['Authorization', junk]];
  }
  if (roll === 2) return (mutations.push('key in x-api-key'), [['x-api-key', keys.chat]]);
  if (route?.access.kind === 'admin') return [['Authorization', `Bearer ${keys.admin}`]];
  return [['Authorization', `Bearer ${rng.chance(0.5) ? keys.guarded : keys.chat}`]];
}

function junkHeaders(rng: Prng, mutations: string[]): [string, string][] {
  if (!rng.chance(0.4)) return [];
  const options: (() => [string, string][])[] = [
    () => PROTOTYPE_NAMES.map((name) => [name, 'x'] as [string, string]),
    () => [['X-Request-Id', rng.pick(['', ' ', 'a'.repeat(300), '<script>', '\u00ff', '__proto__'])]],
    () => [['Idempotency-Key', rng.pick(['', 'a'.repeat(500), 'constructor', '\u00e9'])]],
    () => [
      ['Content-Type', 'application/json'],
      ['Content-Type', 'text/plain'],
    ],
    () => [
      ['Accept', '*/*;q=abc'],
      ['Accept-Encoding', 'gzip;q=2, br, zstd, identity;q=0'],
    ],
    () => Array.from({ length: rng.int(50, 150) }, (_, i) => [`X-Junk-${i}`, rng.text(20)] as [string, string]),
    () => [['X-Huge', 'h'.repeat(rng.pick([4000, 20000]))]],
    () => [['Expect', '100-continue']],
    () => [['Transfer-Encoding', 'gzip']],
    () => [
      ['Authorization', 'Bearer a'],
      ['Authorization', 'Bearer b'],
    ],
    () => [
      ['Upgrade', rng.pick(['websocket', 'h2c'])],
      ['Connection', 'Upgrade'],
    ],
    () => [
      ['Transfer-Encoding', 'chunked'],
      ['Content-Length', '5'],
    ],
    () => [['Content-Length', rng.pick(['-1', 'abc', '1, 2', '99999999999999999999'])]],
  ];
  const picked = rng.pick(options)();
  mutations.push(
    `headers ${picked
      .map(([n]) => n)
      .slice(0, 3)
      .join(',')}${picked.length > 3 ? '…' : ''}`,
  );
  return picked;
}

/** Concrete path of a route template: its parameters filled with something, often odd. */
function concretePath(path: string, rng: Prng): string {
  return path.replace(/\{(\w+)\+?\}/g, (_m, name: string) => {
    if (name === 'asset') return rng.pick(['swagger-ui.css', 'nothing.js', '%ZZ', '__proto__', 'constructor']);
    return rng.pick([
      `req_${rng.text(20)}`,
      `key_${rng.text(16, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
      '%ZZ',
      '__proto__',
      'toString',
      rng.text(rng.int(1, 300)),
      '%E2%82%AC',
      '%00',
    ]);
  });
}

/** Case `rng` across the route table (and paths no route claims): one request, spoilt in a few ways. */
export function fuzzCase(rng: Prng, keys: FuzzKeys, table: readonly RouteSpec[] = routes): FuzzCase {
  const mutations: string[] = [];
  const route = rng.chance(0.12) ? undefined : rng.pick(table);
  let method: string = route?.method ?? rng.pick(['GET', 'POST']);
  if (rng.chance(0.12)) {
    method = rng.pick(ODD_METHODS);
    mutations.push(`method ${method}`);
  }
  const path = route === undefined ? rng.pick(EXTRA_PATHS) : concretePath(route.path, rng);
  const target = targetWithQuery(path, rng, mutations);
  const headers: [string, string][] = [...authHeaders(route, keys, rng, mutations), ...junkHeaders(rng, mutations)];

  const base = route === undefined ? {} : validBody(route, rng);
  let body: string | Buffer = JSON.stringify(base);
  const wantsBody = route?.body !== undefined || rng.chance(0.2);
  if (wantsBody && rng.chance(0.75)) body = rng.pick(BODY_MUTATIONS)(body, rng, mutations);
  const contentType = rng.chance(0.12) ? rng.pick(CONTENT_TYPES) : 'application/json';
  if (contentType !== 'application/json') mutations.push(`content-type ${JSON.stringify(contentType)}`);
  if (wantsBody && contentType !== '') headers.push(['Content-Type', contentType]);

  const framing = rng.chance(0.1)
    ? rng.pick(['length-short', 'length-long', 'chunked', 'chunked-broken'] as const)
    : wantsBody
      ? 'length'
      : 'none';
  if (framing !== 'length' && framing !== 'none') mutations.push(`framing ${framing}`);
  return { method, target, headers, body: wantsBody ? Buffer.from(body) : Buffer.alloc(0), framing, mutations };
}
