import { hashKey, isWellFormedKey, KEY_LENGTH, KEY_PREFIX, generateKey, newId } from '../../lambdas/keys/key-format.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('gateway key format', () => {
  it('has the prefix, 53 base62 characters in all, and a valid checksum', () => {
    for (let i = 0; i < 50; i++) {
      const key = generateKey();
      expect(key.startsWith(KEY_PREFIX)).toBe(true);
      expect(key).toHaveLength(KEY_LENGTH);
      expect(KEY_LENGTH).toBe(53);
      expect(key.slice(4)).toMatch(/^[0-9A-Za-z]+$/);
      expect(isWellFormedKey(key)).toBe(true);
    }
  });

  it('keys differ (32 random bytes each)', () => {
    const keys = new Set(Array.from({ length: 200 }, generateKey));
    expect(keys.size).toBe(200);
  });

  it('any single mistyped character fails the checksum', () => {
    const key = generateKey();
    for (let position = KEY_PREFIX.length; position < key.length; position++) {
      const original = key[position] ?? '';
      const replacement = ALPHABET[(ALPHABET.indexOf(original) + 1 + position) % ALPHABET.length] ?? '0';
      const typo = key.slice(0, position) + replacement + key.slice(position + 1);
      expect(isWellFormedKey(typo)).toBe(false);
    }
  });

  it.each([
    ['empty', ''],
    ['another prefix', `sk-_${'a'.repeat(49)}`],
    ['too short', generateKey().slice(0, -1)],
    ['too long', `${generateKey()}a`],
    ['a non-base62 character', `${generateKey().slice(0, 10)}-${generateKey().slice(11)}`],
    [
      'two characters swapped',
      (() => {
        const k = generateKey();
        return k[10] === k[11] ? 'x' : k.slice(0, 10) + k[11] + k[10] + k.slice(12);
      })(),
    ],
  ])('rejects %s', (_label, candidate) => {
    expect(isWellFormedKey(candidate)).toBe(false);
  });

  it('hashes to hex SHA-256, the same for the same key only', () => {
    const key = generateKey();
    expect(hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey(key)).toBe(hashKey(key));
    expect(hashKey(key)).not.toBe(hashKey(generateKey()));
  });

  it('ids are prefixed and 16 base62 characters', () => {
    expect(newId('key_')).toMatch(/^key_[0-9A-Za-z]{16}$/);
  });
});
