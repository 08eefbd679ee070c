import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { validationError } from './errors.js';

/**
 * DynamoDB's JSON wire form of attribute values ({"S": "x"}, {"B": "<base64>"}, ...) to the SDK's form and back. The
 * two differ only in binaries (base64 strings on the wire, Uint8Array in the SDK).
 */
export type WireItem = Record<string, unknown>;
export type SdkItem = Record<string, AttributeValue>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const strings = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string'))
    throw validationError(`${what} must be a list of strings`);
  return v;
};

export function toSdkValue(wire: unknown): AttributeValue {
  if (!isRecord(wire)) throw validationError('Supplied AttributeValue is not an object');
  const entries = Object.entries(wire);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    throw validationError(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const [type, value] = entry;
  switch (type) {
    case 'S':
    case 'N':
      if (typeof value !== 'string') throw validationError(`${type} must be a string`);
      return type === 'S' ? { S: value } : { N: value };
    case 'B':
      if (typeof value !== 'string') throw validationError('B must be a base64 string');
      return { B: Buffer.from(value, 'base64') };
    case 'SS':
      return { SS: strings(value, 'SS') };
    case 'NS':
      return { NS: strings(value, 'NS') };
    case 'BS':
      return { BS: strings(value, 'BS').map((s) => Buffer.from(s, 'base64')) };
    case 'BOOL':
      if (typeof value !== 'boolean') throw validationError('BOOL must be a boolean');
      return { BOOL: value };
    case 'NULL':
      if (value !== true) throw validationError('NULL must be true');
      return { NULL: true };
    case 'L':
      if (!Array.isArray(value)) throw validationError('L must be a list');
      return { L: value.map(toSdkValue) };
    case 'M':
      return { M: toSdkItem(value) };
    default:
      throw validationError(`Unknown AttributeValue type ${type}`);
  }
}

export function toSdkItem(wire: unknown): SdkItem {
  if (!isRecord(wire)) throw validationError('Supplied item is not a map of attribute values');
  return Object.fromEntries(Object.entries(wire).map(([name, value]) => [name, toSdkValue(value)]));
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export function toWireValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.L !== undefined) return { L: value.L.map(toWireValue) };
  if (value.M !== undefined) return { M: toWireItem(value.M) };
  return {};
}

export function toWireItem(item: SdkItem): WireItem {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toWireValue(value)]));
}
