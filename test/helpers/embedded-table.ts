import { DynamoDBClient as SdkClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import { ensureTables, startEmbeddedStore } from '../../local/store.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { tempDir } from './tmp.js';

export interface EmbeddedTable {
  readonly table: string;
  /** A new client (its own sockets), as another process would have: the gateway's (lambdas/aws-http). */
  client(): DynamoDBClient;
  /** Every item in the table, as JSON text. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

/** The gateway table in a fresh embedded store under a temp dir; close() stops it and removes the dir. */
export async function embeddedTable(): Promise<EmbeddedTable> {
  const dir = tempDir('embedded-table');
  const store = await startEmbeddedStore(dir.path);
  const clients: DynamoDBClient[] = [];
  const client = (): DynamoDBClient => {
    const created = new DynamoDBClient({
      endpoint: store.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    clients.push(created);
    return created;
  };
  const admin = new SdkClient({
    endpoint: store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await ensureTables(admin, tables);
  return {
    table: gatewayTable.id,
    client,
    dump: async () => JSON.stringify((await admin.send(new ScanCommand({ TableName: gatewayTable.id }))).Items ?? []),
    close: async () => {
      for (const created of clients) created.destroy();
      admin.destroy();
      await store.close();
      dir.remove();
    },
  };
}
