import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { validationError } from './errors.js';

/**
 * DynamoDB's JSON wire form of attribute values ({"S": "x"}, {"B": "<base64>"}, ...), checked once when a transaction
 * is parsed, and the SDK's form (binaries as Uint8Array) for what lambdas/ code reads (the ledger's aggregator).
 */
export type WireItem = Record<string, unknown>;
export type SdkItem = Record<string, AttributeValue>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const strings = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string'))
    throw validationError(`${what} must be a list of strings`);
  return v;
};

/** Base64 as Node decodes and re-encodes it (the canonical spelling dynalite's type check insists on). */
const canonicalBase64 = (text: string): string => Buffer.from(text, 'base64').toString('base64');

/** The value's one datatype (own members of a parsed JSON object), or undefined if it has none or several. */
function onlyType(wire: Record<string, unknown>): string | undefined {
  let type: string | undefined;
  // for…in, not Object.keys: no array per value (the check runs on every value of every transaction).
  for (const name in wire) {
    if (!Object.hasOwn(wire, name)) continue;
    if (type !== undefined) return undefined;
    type = name;
  }
  return type;
}

/**
 * A wire attribute value checked (a message like DynamoDB's for a malformed one) and in canonical form: the value
 * itself when it is (no copy: the common case), else a copy with its binaries re-encoded.
 */
export function wireValue(wire: unknown): unknown {
  if (!isRecord(wire)) throw validationError('Supplied AttributeValue is not an object');
  const type = onlyType(wire);
  if (type === undefined) {
    throw validationError(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const value = wire[type];
  switch (type) {
    case 'S':
    case 'N':
      if (typeof value !== 'string') throw validationError(`${type} must be a string`);
      return wire;
    case 'B': {
      if (typeof value !== 'string') throw validationError('B must be a base64 string');
      const canonical = canonicalBase64(value);
      return canonical === value ? wire : { B: canonical };
    }
    case 'SS':
    case 'NS':
      strings(value, type);
      return wire;
    case 'BS': {
      const list = strings(value, 'BS');
      const canonical = list.map(canonicalBase64);
      return canonical.every((s, i) => s === list[i]) ? wire : { BS: canonical };
    }
    case 'BOOL':
      if (typeof value !== 'boolean') throw validationError('BOOL must be a boolean');
      return wire;
    case 'NULL':
      if (value !== true) throw validationError('NULL must be true');
      return wire;
    case 'L': {
      if (!Array.isArray(value)) throw validationError('L must be a list');
      let copy: unknown[] | undefined;
      value.forEach((member: unknown, i) => {
        const checked = wireValue(member);
        if (checked !== member) (copy ??= value.slice())[i] = checked;
      });
      return copy === undefined ? wire : { L: copy };
    }
    case 'M': {
      const map = wireItem(value);
      return map === value ? wire : { M: map };
    }
    default:
      throw validationError(`Unknown AttributeValue type ${type}`);
  }
}

/**
 * A wire item (or key, or value map) checked and in canonical form, as wireValue: itself unless a binary needs it. A
 * member named `__proto__` is left out, as dynalite's type pass leaves it out of what it stores (its assignment sets
 * the copy's prototype instead).
 */
export function wireItem(wire: unknown): WireItem {
  if (!isRecord(wire)) throw validationError('Supplied item is not a map of attribute values');
  let copy: WireItem | undefined;
  for (const name in wire) {
    if (!Object.hasOwn(wire, name)) continue;
    if (name === '__proto__') {
      wireValue(wire[name]);
      copy ??= { ...wire };
      delete copy[name];
      continue;
    }
    const value = wire[name];
    const checked = wireValue(value);
    if (checked !== value) (copy ??= { ...wire })[name] = checked;
  }
  return copy ?? wire;
}

function toSdkValue(wire: unknown): AttributeValue {
  const type = onlyType(wire as Record<string, unknown>);
  const value = type === undefined ? undefined : (wire as Record<string, unknown>)[type];
  switch (type) {
    case 'B':
      return { B: Buffer.from(value as string, 'base64') };
    case 'BS':
      return { BS: (value as string[]).map((s) => Buffer.from(s, 'base64')) };
    case 'L':
      return { L: (value as unknown[]).map(toSdkValue) };
    case 'M':
      return { M: toSdkItem(value as WireItem) };
    default:
      return wire as AttributeValue;
  }
}

/** Whether a checked wire value holds a binary (B, BS), itself or inside its lists and maps. */
function holdsBinary(wire: unknown): boolean {
  const value = wire as Record<string, unknown>;
  const type = onlyType(value);
  if (type === 'B' || type === 'BS') return true;
  if (type === 'L') return (value.L as unknown[]).some(holdsBinary);
  if (type === 'M') return itemHoldsBinary(value.M as WireItem);
  return false;
}

function itemHoldsBinary(wire: WireItem): boolean {
  for (const name in wire) if (Object.hasOwn(wire, name) && holdsBinary(wire[name])) return true;
  return false;
}

/**
 * A wire item that wireItem checked (or the store wrote) in the SDK's form. Only binaries differ (and the maps and
 * lists holding them): an item without any is its own SDK form (a request record: no copy), else the rest is shared.
 * Readers of the answer must not change it.
 */
export function toSdkItem(wire: WireItem): SdkItem {
  if (!itemHoldsBinary(wire)) return wire as SdkItem;
  const item: SdkItem = {};
  for (const name in wire) if (Object.hasOwn(wire, name)) item[name] = toSdkValue(wire[name]);
  return item;
}
