import { DynamoDBClient, GetItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import { readLedgerRecords } from '../../lambdas/ledger/ledger-records.js';
import { readUsage, type UsageRow } from '../../lambdas/ledger/usage-reader.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import type { Item } from '../../lambdas/store/attributes.js';
import { gatewayTable } from '../../lambdas/store/tables.js';

/**
 * A tenant's ledger of today on a local gateway's store: the request records (in order) and the counters. Waits
 * first for the bookings an in-process gateway makes after its responses (runtime/after-response.ts).
 */
export async function ledgerOf(
  storeEndpoint: string,
  tenant = 'dev',
): Promise<{ records: Item[]; counters: UsageRow[] }> {
  await whenAfterResponsesDone();
  const today = new Date().toISOString().slice(0, 10);
  const db = new DynamoDBClient({
    endpoint: storeEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  try {
    const records = await readLedgerRecords(db, gatewayTable.id, tenant, today);
    return { records, counters: await readUsage(db, gatewayTable.id, tenant, today, today) };
  } finally {
    db.destroy();
  }
}

/** The storage note of a request (`REQ#<id>` / `STORED`: a stored response's bytes and write units), if any. */
export async function storageNoteOf(storeEndpoint: string, ledgerId: string): Promise<Item | undefined> {
  const db = new DynamoDBClient({
    endpoint: storeEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  try {
    const { Item } = await db.send(
      new GetItemCommand({
        TableName: gatewayTable.id,
        Key: { pk: { S: `REQ#${ledgerId}` }, sk: { S: 'STORED' } },
        ConsistentRead: true,
      }),
    );
    return Item;
  } finally {
    db.destroy();
  }
}
