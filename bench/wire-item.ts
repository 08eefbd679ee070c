import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../lambdas/store/attributes.js';

type Wire = Record<string, unknown>;

const isObject = (value: unknown): value is Wire => typeof value === 'object' && value !== null;

/** One attribute value as DynamoDB's JSON wire format carries it (binaries in base64) → the SDK's shape. */
function wireValue(value: unknown): AttributeValue {
  if (!isObject(value)) return { NULL: true };
  if (typeof value.S === 'string') return { S: value.S };
  if (typeof value.N === 'string') return { N: value.N };
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (typeof value.BOOL === 'boolean') return { BOOL: value.BOOL };
  if (value.NULL === true) return { NULL: true };
  if (Array.isArray(value.L)) return { L: value.L.map(wireValue) };
  if (isObject(value.M)) return { M: wireItem(value.M) };
  if (Array.isArray(value.SS)) return { SS: value.SS.map(String) };
  if (Array.isArray(value.NS)) return { NS: value.NS.map(String) };
  if (Array.isArray(value.BS)) return { BS: value.BS.map((b) => Buffer.from(String(b), 'base64')) };
  return { NULL: true };
}

/** An item as DynamoDB's JSON wire format carries it → the SDK's AttributeValue map (for lambdas/store/item-size.ts). */
export function wireItem(value: unknown): Item {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, attribute]) => [name, wireValue(attribute)]));
}
