import { itemBytes, writeUnitsOf } from '../lambdas/store/item-size.js';
import type { Item } from '../lambdas/store/attributes.js';
import { tables, type TableDefinition } from '../lambdas/store/tables.js';
import { wireItem } from './wire-item.js';

/** Reads an item back from the store (consistently), undefined when it is not there. */
export type ItemReader = (table: string, key: Item) => Promise<Item | undefined>;

type Wire = Record<string, unknown>;
const isObject = (value: unknown): value is Wire => typeof value === 'object' && value !== null;

interface WrittenItem {
  readonly table: string;
  readonly kind: 'put' | 'update' | 'delete' | 'check';
  /** PutItem's item as sent. */
  readonly item?: Item;
  readonly key?: Item;
  readonly transactional: boolean;
}

const definitionOf = (table: string): TableDefinition | undefined =>
  tables.find((definition) => definition.id === table || table.endsWith(definition.id)) ?? tables[0];

const tableOf = (entry: Wire): string => (typeof entry.TableName === 'string' ? entry.TableName : '');

function oneItem(op: string, input: Wire, transactional: boolean): WrittenItem | undefined {
  const table = tableOf(input);
  if (op === 'Put' || op === 'PutItem') return { table, kind: 'put', item: wireItem(input.Item), transactional };
  if (op === 'Update' || op === 'UpdateItem') return { table, kind: 'update', key: wireItem(input.Key), transactional };
  if (op === 'Delete' || op === 'DeleteItem') return { table, kind: 'delete', key: wireItem(input.Key), transactional };
  if (op === 'ConditionCheck') return { table, kind: 'check', key: wireItem(input.Key), transactional };
  return undefined;
}

/** The items one write call writes (or checks, in a transaction). */
function writtenItems(op: string, input: unknown): WrittenItem[] {
  if (!isObject(input)) return [];
  if (op === 'TransactWriteItems' && Array.isArray(input.TransactItems)) {
    return input.TransactItems.flatMap((entry: unknown) => {
      if (!isObject(entry)) return [];
      return Object.entries(entry).flatMap(([kind, body]) => {
        const item = isObject(body) ? oneItem(kind, body, true) : undefined;
        return item === undefined ? [] : [item];
      });
    });
  }
  if (op === 'BatchWriteItem' && isObject(input.RequestItems)) {
    return Object.entries(input.RequestItems).flatMap(([table, requests]) =>
      (Array.isArray(requests) ? requests : []).flatMap((request: unknown): WrittenItem[] => {
        if (!isObject(request)) return [];
        if (isObject(request.PutRequest))
          return [{ table, kind: 'put', item: wireItem(request.PutRequest.Item), transactional: false }];
        if (isObject(request.DeleteRequest))
          return [{ table, kind: 'delete', key: wireItem(request.DeleteRequest.Key), transactional: false }];
        return [];
      }),
    );
  }
  const item = oneItem(op, input, false);
  return item === undefined ? [] : [item];
}

/** Index copies of an item: one per global secondary index whose keys the item has. */
function indexCopies(table: string, item: Item): number {
  const indexes = definitionOf(table)?.globalIndexes ?? [];
  return indexes.filter(
    (index) => item[index.partitionKey.name] !== undefined && item[index.sortKey.name] !== undefined,
  ).length;
}

/**
 * The write request units of one write call, estimated as DynamoDB bills them: per item one unit per KB of the item
 * after the write (PutItem: the item sent; UpdateItem and a transaction's Update or ConditionCheck: the item read
 * back after the call; DeleteItem: 1, the deleted item being gone), twice that inside TransactWriteItems, plus one
 * standard write per global secondary index copy of the item (tables.ts). An item that is not there after the call
 * (a refused condition) counts 1.
 */
export async function writeUnitsOfCall(op: string, input: unknown, read: ItemReader): Promise<number> {
  let units = 0;
  for (const written of writtenItems(op, input)) {
    const after =
      written.kind === 'put'
        ? written.item
        : written.kind === 'delete' || written.key === undefined
          ? undefined
          : await read(written.table, written.key);
    const item = after;
    const size = item === undefined ? 1 : writeUnitsOf(itemBytes(item));
    units += size * (written.transactional ? 2 : 1);
    if (item !== undefined && written.kind !== 'check') units += indexCopies(written.table, item) * size;
  }
  return units;
}

const readUnitsOfBytes = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Read request units of one read call, from the items its answer carries (4 KB per unit; half when eventual). */
export function readUnitsOfCall(op: string, input: unknown, output: string): number {
  if (!['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(op)) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return 0;
  }
  if (!isObject(parsed) || !isObject(input)) return 0;
  const consistent = input.ConsistentRead === true;
  if (op === 'GetItem')
    return readUnitsOfBytes(isObject(parsed.Item) ? itemBytes(wireItem(parsed.Item)) : 0, consistent);
  if (op === 'Query' || op === 'Scan') {
    const items: unknown[] = Array.isArray(parsed.Items) ? parsed.Items : [];
    return readUnitsOfBytes(
      items.reduce<number>((sum, item) => sum + itemBytes(wireItem(item)), 0),
      consistent,
    );
  }
  if (op === 'TransactGetItems') {
    const responses: unknown[] = Array.isArray(parsed.Responses) ? parsed.Responses : [];
    return responses.reduce<number>(
      (sum, entry) => sum + 2 * readUnitsOfBytes(isObject(entry) ? itemBytes(wireItem(entry.Item)) : 0, true),
      0,
    );
  }
  const byTable = isObject(parsed.Responses) ? Object.values(parsed.Responses) : [];
  return byTable
    .flatMap((items) => (Array.isArray(items) ? items : []))
    .reduce<number>((sum, item) => sum + readUnitsOfBytes(itemBytes(wireItem(item)), consistent), 0);
}
