import { wireItem, type WireItem } from './attribute-values.js';
import { validationError } from './errors.js';

/** The condition and name/value maps of one transaction item (values in wire form, checked: attribute-values.ts). */
export interface Condition {
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: WireItem;
}

interface Common {
  readonly table: string;
  readonly condition: Condition;
  /** ReturnValuesOnConditionCheckFailure = ALL_OLD: the cancellation reason carries the item. */
  readonly returnOldOnFailure: boolean;
}

/** One transaction item; its item or key in DynamoDB's wire form, checked and canonical (attribute-values.ts). */
export type TransactOp =
  | (Common & { readonly kind: 'Put'; readonly item: WireItem })
  | (Common & { readonly kind: 'Update'; readonly key: WireItem; readonly updateExpression: string })
  | (Common & { readonly kind: 'Delete'; readonly key: WireItem })
  | (Common & { readonly kind: 'ConditionCheck'; readonly key: WireItem });

export interface TransactRequest {
  readonly ops: readonly TransactOp[];
  readonly token?: string;
  /** The parsed body, for the idempotency hash. */
  readonly raw: Record<string, unknown>;
}

export const maxTransactItems = 100;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(source: Record<string, unknown>, name: string): string | undefined {
  const value = source[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw validationError(`${name} must be a string`);
  return value;
}

function requiredString(source: Record<string, unknown>, name: string, where: string): string {
  const value = optionalString(source, name);
  if (value === undefined || value === '') throw validationError(`${where}.${name} is required`);
  return value;
}

function parseCondition(source: Record<string, unknown>): Condition {
  const names = source.ExpressionAttributeNames;
  if (names !== undefined && (!isRecord(names) || !Object.values(names).every((n) => typeof n === 'string'))) {
    throw validationError('ExpressionAttributeNames must be a map of strings');
  }
  const expression = optionalString(source, 'ConditionExpression');
  const values = source.ExpressionAttributeValues;
  return {
    ...(expression !== undefined ? { ConditionExpression: expression } : {}),
    ...(names !== undefined ? { ExpressionAttributeNames: names as Record<string, string> } : {}),
    ...(values !== undefined ? { ExpressionAttributeValues: wireItem(values) } : {}),
  };
}

const operations = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;

function parseOp(entry: unknown, index: number): TransactOp {
  if (!isRecord(entry)) throw validationError(`TransactItems[${index}] must be an object`);
  const present = operations.filter((name) => entry[name] !== undefined);
  const [kind] = present;
  if (present.length !== 1 || kind === undefined) {
    throw validationError(`TransactItems[${index}] must contain exactly one of Put, Update, Delete, ConditionCheck`);
  }
  const body = entry[kind];
  const where = `TransactItems[${index}].${kind}`;
  if (!isRecord(body)) throw validationError(`${where} must be an object`);
  const returnValues = optionalString(body, 'ReturnValuesOnConditionCheckFailure') ?? 'NONE';
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD') {
    throw validationError(`${where}.ReturnValuesOnConditionCheckFailure must be NONE or ALL_OLD`);
  }
  const common: Common = {
    table: requiredString(body, 'TableName', where),
    condition: parseCondition(body),
    returnOldOnFailure: returnValues === 'ALL_OLD',
  };
  const key = (): WireItem => {
    if (body.Key === undefined) throw validationError(`${where}.Key is required`);
    return wireItem(body.Key);
  };
  switch (kind) {
    case 'Put':
      if (body.Item === undefined) throw validationError(`${where}.Item is required`);
      return { ...common, kind, item: wireItem(body.Item) };
    case 'Update':
      return { ...common, kind, key: key(), updateExpression: requiredString(body, 'UpdateExpression', where) };
    case 'Delete':
      return { ...common, kind, key: key() };
    case 'ConditionCheck':
      if (common.condition.ConditionExpression === undefined) {
        throw validationError(`${where}.ConditionExpression is required`);
      }
      return { ...common, kind, key: key() };
  }
}

/** Parses and validates a TransactWriteItems body (JSON text) the way DynamoDB does where that is cheap. */
export function parseTransactRequest(text: string): TransactRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw validationError('The request body is not valid JSON');
  }
  if (!isRecord(body)) throw validationError('The request body must be a JSON object');
  const items = body.TransactItems;
  if (!Array.isArray(items) || items.length === 0) {
    throw validationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  }
  if (items.length > maxTransactItems) {
    throw validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${maxTransactItems}`,
    );
  }
  const token = optionalString(body, 'ClientRequestToken');
  if (token !== undefined && (token.length < 1 || token.length > 36)) {
    throw validationError('ClientRequestToken must be 1 to 36 characters long');
  }
  return { ops: items.map(parseOp), ...(token !== undefined ? { token } : {}), raw: body };
}
