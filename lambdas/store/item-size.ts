import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './attributes.js';

/**
 * The size DynamoDB bills an item by, estimated from its attributes as AWS documents it: each attribute's name
 * (UTF-8 bytes) plus its value — a string's UTF-8 bytes, a binary's bytes, a number about one byte per two digits
 * plus one, a boolean or null one byte, lists and maps 3 bytes plus their elements (names included for maps).
 */
export function itemBytes(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M);
  return 0;
}

/** On-demand write request units of one standard write of `bytes`: one per KB, rounded up. */
export const writeUnitsOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
