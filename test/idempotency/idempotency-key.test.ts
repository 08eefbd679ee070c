import { GatewayError } from '../../lambdas/core/errors.js';
import { idempotencyError } from '../../lambdas/idempotency/idempotency-errors.js';
import { idempotencyPk, parseIdempotencyKey, sha256Hex } from '../../lambdas/idempotency/idempotency-key.js';

function rejection(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('Idempotency-Key validation', () => {
  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a newline', 'abc\ndef'],
    ['a tab', 'abc\tdef'],
    ['non-ASCII', 'clé-1'],
    ['DEL', 'abc\x7F'],
  ])('rejects a key that is %s with 400 invalid_idempotency_key', (_label, key) => {
    const err = rejection(() => parseIdempotencyKey(key));
    expect(err.status).toBe(400);
    expect(err.toBody()).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        code: 'invalid_idempotency_key',
        param: 'Idempotency-Key',
      },
    });
  });

  it.each([
    ['one character', 'a'],
    ['255 characters', 'k'.repeat(255)],
    ['spaces and symbols', 'order 42 / ~!@#$%^&*()'],
  ])('accepts a key of %s', (_label, key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it('keys the item by tenant and the sha256 of the key, never the key itself', () => {
    expect(idempotencyPk('acme', 'my-key')).toBe(`IDEM#acme#${sha256Hex('my-key')}`);
    expect(idempotencyPk('acme', 'my-key')).not.toContain('my-key');
    expect(idempotencyPk('other', 'my-key')).not.toBe(idempotencyPk('acme', 'my-key'));
  });
});

describe('idempotency outcomes as errors', () => {
  it.each([
    ['in_flight', 409, 'idempotency_key_in_flight'],
    ['mismatch', 422, 'idempotency_key_reused'],
    ['stream_used', 409, 'idempotency_key_used_for_stream'],
  ] as const)('%s answers %i %s', (kind, status, code) => {
    const err = idempotencyError({ kind });
    expect(err).toBeInstanceOf(GatewayError);
    expect(err?.status).toBe(status);
    expect(err?.toBody()).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', code, param: 'Idempotency-Key' },
    });
  });

  it('lets new and replayed requests through', () => {
    expect(idempotencyError({ kind: 'new' })).toBeUndefined();
    expect(idempotencyError({ kind: 'replay', requestId: 'r', status: 200, headers: {}, body: '{}' })).toBeUndefined();
  });
});
