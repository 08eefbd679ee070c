import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Gateway keys: `lgw_` + 43 base62 characters (32 random bytes) + 6 base62 characters of CRC-32 over the rest.
 * The prefix makes them recognisable (secret scanners, logs); base62 survives double-click selection; the checksum
 * rejects a mistyped key without a store lookup. Only the SHA-256 of a key is stored: 256 random bits need no
 * slow hash or pepper to resist guessing.
 */
export const KEY_PREFIX = 'lgw_';
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(width, '0');
}

const checksum = (text: string): string => base62(BigInt(crc32(text)), CHECKSUM_LENGTH);

export function generateKey(): string {
  const body = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  return `${KEY_PREFIX}${body}${checksum(KEY_PREFIX + body)}`;
}

/** True when `candidate` has the shape of a gateway key and its checksum holds. */
export function isWellFormedKey(candidate: string): boolean {
  if (!KEY_SHAPE.test(candidate)) return false;
  const split = KEY_LENGTH - CHECKSUM_LENGTH;
  return checksum(candidate.slice(0, split)) === candidate.slice(split);
}

/** The stored form of a key: hex SHA-256. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Public identifiers (key ids): a prefix and 16 base62 characters of 88 random bits. */
export const newId = (prefix: string): string =>
  `${prefix}${base62(BigInt(`0x${randomBytes(11).toString('hex')}`), 16)}`;

/** A key id as `newId('key_')` makes them. */
export const KEY_ID_PATTERN = /^key_[0-9A-Za-z]{16}$/;
