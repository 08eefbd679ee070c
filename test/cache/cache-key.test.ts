import { cacheKey, canonicalJson, policyVersion, type KeyParts } from '../../lambdas/cache/cache-key.js';
import { clientCacheControl, sampled, scopeOf } from '../../lambdas/cache/cache-settings.js';
import { cacheSchema } from '../../lambdas/config/cache-schema.js';

// The cache key: everything that determines an answer, nothing that does not; the client's Cache-Control; sampling.
const BASE: KeyParts = {
  format: 'chat',
  alias: 'fast',
  targets: [{ provider: 'openai', model: 'gpt-x' }],
  request: { model: 'fast', messages: [{ role: 'user', content: 'hi' }], temperature: 0 },
  policyVersion: 'none',
};
const keyWith = (over: Partial<KeyParts>, request: object = {}) =>
  cacheKey({ ...BASE, ...over, request: { ...BASE.request, ...request } });

describe('cacheKey', () => {
  it('canonical JSON: key order and undefined fields do not matter', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe('{"a":[{"c":2}],"b":1}');
    expect(keyWith({}, { seed: undefined })).toBe(keyWith({}));
  });

  it('fields that do not change the answer are left out', () => {
    const same = {
      user: 'u-1',
      metadata: { run: '7' },
      safety_identifier: 'x',
      stream: true,
      stream_options: { include_usage: true },
      store: true,
      prompt_cache_key: 'k',
      service_tier: 'flex',
    };
    expect(keyWith({}, same)).toBe(keyWith({}));
  });

  it.each<[string, Partial<KeyParts>, object]>([
    ['the messages', {}, { messages: [{ role: 'user', content: 'hello' }] }],
    ['the temperature', {}, { temperature: 0.2 }],
    ['the seed', {}, { seed: 7 }],
    ['the tools', {}, { tools: [{ type: 'function', function: { name: 'f' } }] }],
    ['the response format', {}, { response_format: { type: 'json_object' } }],
    ['the format', { format: 'responses' }, {}],
    ['the alias', { alias: 'slow' }, {}],
    ['the targets', { targets: [{ provider: 'openai', model: 'gpt-y' }] }, {}],
    ["a target's params", { targets: [{ provider: 'openai', model: 'gpt-x', params: { top_p: 0.5 } }] }, {}],
    ['the policies', { policyVersion: policyVersion({ pii: { mode: 'redact' } }) }, {}],
    ['the beta tokens', { extra: { betas: ['b-1'] } }, {}],
  ])('%s change the key', (_, over, request) => {
    expect(keyWith(over, request)).not.toBe(keyWith({}));
  });

  it('policy versions: none, and a stable hash of the configuration', () => {
    expect(policyVersion(undefined)).toBe('none');
    expect(policyVersion({ a: 1, b: 2 })).toBe(policyVersion({ b: 2, a: 1 }));
  });
});

describe('settings', () => {
  const event = (value?: string) => ({ headers: value === undefined ? {} : { 'cache-control': value } });
  it('Cache-Control: no-cache skips the read, no-store the write; other directives change nothing', () => {
    expect(clientCacheControl(event())).toEqual({ read: true, store: true });
    expect(clientCacheControl(event('No-Cache'))).toEqual({ read: false, store: true });
    expect(clientCacheControl(event('max-age=0, no-store'))).toEqual({ read: true, store: false });
    expect(clientCacheControl(event('no-cache,no-store'))).toEqual({ read: false, store: false });
  });

  it('sampled: temperature above 0 or absent (the providers default to 1) on any target', () => {
    expect(sampled([{ temperature: 0 }])).toBe(false);
    expect(sampled([{ temperature: 0 }, { temperature: 0.5 }])).toBe(true);
    expect(sampled([{}])).toBe(true);
    expect(sampled([{ temperature: null }])).toBe(true);
  });

  it('scope: the tenant by default; a shared namespace only when named', () => {
    expect(scopeOf(cacheSchema.parse({ ttlSeconds: 60 }), 'acme')).toBe('t:acme');
    expect(scopeOf(cacheSchema.parse({ ttlSeconds: 60, scope: 'shared:faq' }), 'acme')).toBe('ns:faq');
    expect(cacheSchema.safeParse({ ttlSeconds: 60, scope: 'shared:' }).success).toBe(false);
    expect(cacheSchema.safeParse({ ttlSeconds: 60, scope: 'everyone' }).success).toBe(false);
  });
});
