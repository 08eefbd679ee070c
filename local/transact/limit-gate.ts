import { itemBytes, writeUnitsOf } from '../../lambdas/store/item-size.js';
import { tables, type TableDefinition } from '../../lambdas/store/tables.js';
import type { DynaliteEngine } from '../engine/dynalite-engine.js';
import { toSdkItem, type WireItem } from './attribute-values.js';
import type { Charge, DynamoLimits } from './dynamo-limits.js';
import { keyRangeThrottled, transactionCanceled, transactionConflict, type CancellationReason } from './errors.js';
import type { KeyedOp } from './keys.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shapeOf = (table: string): Pick<TableDefinition, 'partitionKey' | 'sortKey' | 'globalIndexes'> =>
  tables.find((t) => t.id === table) ?? {
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalIndexes: [],
  };
const keyValue = (value: unknown): string => JSON.stringify(value ?? null);

/** An item's identity for the transaction holds: its table and primary key. */
export function itemIdentity(table: string, item: WireItem): string {
  const shape = shapeOf(table);
  return `${table}\u0000${keyValue(item[shape.partitionKey.name])}\u0000${keyValue(item[shape.sortKey.name])}`;
}

const bytesOf = (item: WireItem | undefined): number => (item === undefined ? 0 : itemBytes(toSdkItem(item)));

/** The write units of writing `image` (`factor` 2 inside a transaction), on its table's partition and its GSIs'. */
export function writeCharges(table: string, image: WireItem, bytes: number, factor = 1): Charge[] {
  const shape = shapeOf(table);
  const units = writeUnitsOf(bytes) * factor;
  const charges: Charge[] = [
    { partition: `${table}#${keyValue(image[shape.partitionKey.name])}`, units, table, index: undefined },
  ];
  for (const index of shape.globalIndexes) {
    const value = image[index.partitionKey.name];
    if (value !== undefined)
      charges.push({
        partition: `${table}/${index.indexName}#${keyValue(value)}`,
        units,
        table,
        index: index.indexName,
      });
  }
  return charges;
}

/** The read units of items a read returned, per partition (of the index when it read one): 4 KB a unit. */
function readCharges(
  table: string,
  index: string | undefined,
  items: readonly WireItem[],
  consistent: boolean,
): Charge[] {
  const shape = shapeOf(table);
  const keyName =
    index === undefined
      ? shape.partitionKey.name
      : (shape.globalIndexes.find((i) => i.indexName === index)?.partitionKey.name ?? shape.partitionKey.name);
  const bytes = new Map<string, number>();
  for (const item of items) {
    const partition = `${table}${index === undefined ? '' : `/${index}`}#${keyValue(item[keyName])}`;
    bytes.set(partition, (bytes.get(partition) ?? 0) + bytesOf(item));
  }
  return [...bytes].map(([partition, size]) => ({
    partition,
    units: Math.max(1, Math.ceil(size / 4096)) * (consistent ? 1 : 0.5),
    table,
    index,
  }));
}

/**
 * Applies DynamoLimits to the front's calls (transact-front.ts): before a write (under the front's lock), whether a
 * transaction holds its item and whether its partitions have room; before a transaction's writes, the same per item,
 * answered with DynamoDB's cancellation reasons; after a read, the units of what it returned. An UpdateItem or
 * DeleteItem is sized by the item before it (read here), a PutItem by its new item.
 */
export class LimitGate {
  constructor(
    readonly limits: DynamoLimits,
    private readonly engine: DynaliteEngine,
  ) {}

  async admitWrite(operation: string, input: Record<string, unknown>): Promise<void> {
    const writes = await this.writesOf(operation, input);
    if (writes.length === 0) return;
    if (this.limits.heldNow(writes.map((w) => itemIdentity(w.table, w.image))).size > 0) throw transactionConflict();
    const over = this.limits.chargeWrites(writes.flatMap((w) => writeCharges(w.table, w.image, w.bytes)));
    if (over !== undefined) throw keyRangeThrottled(over.table, over.index, 'Write');
  }

  /** `images`: each item's key and its image before the transaction (the front's undo images). */
  admitTransaction(
    keyed: readonly KeyedOp[],
    images: readonly { readonly key: WireItem; readonly old?: WireItem | undefined }[],
  ): void {
    const ids = keyed.map((item, i) => itemIdentity(item.op.table, images[i]?.key ?? {}));
    const held = this.limits.heldNow(ids);
    if (held.size > 0)
      throw transactionCanceled(
        ids.map((id): CancellationReason => ({ Code: held.has(id) ? 'TransactionConflict' : 'None' })),
      );
    const perItem = keyed.map((item, i) => {
      const before = images[i]?.old;
      const image = item.op.kind === 'Put' ? item.op.item : (before ?? images[i]?.key ?? {});
      return writeCharges(item.op.table, image, Math.max(bytesOf(image), bytesOf(before)), 2);
    });
    const over = this.limits.chargeWrites(perItem.flat());
    if (over !== undefined)
      throw transactionCanceled(
        perItem.map((charges): CancellationReason => ({
          Code: charges.some((c) => c.partition === over.partition) ? 'ThrottlingError' : 'None',
        })),
      );
    this.limits.hold(ids);
  }

  /** After a read: throws the throttle when what it returned passes a partition's read rate. */
  chargeRead(operation: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    const consistent = input.ConsistentRead === true;
    const table = typeof input.TableName === 'string' ? input.TableName : '';
    const index = typeof input.IndexName === 'string' ? input.IndexName : undefined;
    let charges: Charge[] = [];
    if (operation === 'GetItem' && isRecord(output.Item))
      charges = readCharges(table, undefined, [output.Item], consistent);
    else if (operation === 'Query' && Array.isArray(output.Items))
      charges = readCharges(table, index, output.Items.filter(isRecord), consistent);
    else if (operation === 'BatchGetItem' && isRecord(output.Responses))
      charges = Object.entries(output.Responses).flatMap(([name, items]) =>
        Array.isArray(items) ? readCharges(name, undefined, items.filter(isRecord), consistent) : [],
      );
    const over = this.limits.chargeReads(charges);
    if (over !== undefined) throw keyRangeThrottled(over.table, over.index, 'Read');
  }

  private async writesOf(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<{ table: string; image: WireItem; bytes: number }[]> {
    const table = typeof input.TableName === 'string' ? input.TableName : '';
    if (operation === 'PutItem' && isRecord(input.Item))
      return [{ table, image: input.Item, bytes: bytesOf(input.Item) }];
    if ((operation === 'UpdateItem' || operation === 'DeleteItem') && isRecord(input.Key)) {
      const out = await this.engine.call('GetItem', { TableName: table, Key: input.Key, ConsistentRead: true });
      const old = isRecord(out.Item) ? out.Item : undefined;
      return [{ table, image: old ?? input.Key, bytes: bytesOf(old) }];
    }
    if (operation === 'BatchWriteItem' && isRecord(input.RequestItems))
      return Object.entries(input.RequestItems).flatMap(([name, requests]) =>
        (Array.isArray(requests) ? requests.filter(isRecord) : []).flatMap((request) => {
          const put = isRecord(request.PutRequest) ? request.PutRequest.Item : undefined;
          const key = isRecord(request.DeleteRequest) ? request.DeleteRequest.Key : undefined;
          if (isRecord(put)) return [{ table: name, image: put, bytes: bytesOf(put) }];
          return isRecord(key) ? [{ table: name, image: key, bytes: 0 }] : [];
        }),
      );
    return [];
  }
}
