import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableDefinition } from '../tables.js';

export interface EmbeddedStore {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite (the DynamoDB API on LevelDB) in this process, persisted under `dataDir`. LevelDB appends every write to
 * its log before answering, so a SIGKILL loses nothing that was acknowledged.
 */
export async function startEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err?: Error) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Creates each table that does not exist yet, from the same definitions the CDK stack uses. */
export async function ensureTables(client: DynamoDBClient, definitions: readonly TableDefinition[]): Promise<string[]> {
  const created: string[] = [];
  for (const table of definitions) {
    try {
      await client.send(new DescribeTableCommand({ TableName: table.id }));
      continue;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    const keys = [table.partitionKey, table.sortKey, ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    const attributes = [...new Map(keys.map((k) => [k.name, k.type])).entries()];
    await client.send(
      new CreateTableCommand({
        TableName: table.id,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        KeySchema: [
          { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: table.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    created.push(table.id);
  }
  return created;
}
