import { mkdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { Level } from 'level';
import type { TableDefinition } from '../lambdas/store/tables.js';

export interface EmbeddedStoreOptions {
  /** `dynamodb`: enforce DynamoDB's partition rates and transaction conflicts (transact/dynamo-limits.ts); default: GATEWAY_STORE_LIMITS. */
  readonly limits?: 'dynamodb' | 'off';
}

export interface EmbeddedStore {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite's engine (the DynamoDB API on LevelDB), persisted under `dataDir`, served by the front that adds
 * TransactWriteItems (transact-front.ts), in a worker thread of this process: the store's work runs beside the
 * gateway's event loop, not on it, as DynamoDB would. LevelDB appends every write to its log before answering, so a
 * SIGKILL loses nothing that was acknowledged.
 */
export async function startEmbeddedStore(dataDir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'dynamodb');
  await assertNotLocked(path);
  const extension = extname(fileURLToPath(import.meta.url));
  const worker = new Worker(new URL(`./store-worker${extension}`, import.meta.url), {
    workerData: { path, limits: options.limits },
    // From TypeScript sources (npm start, tests) the worker loads them through tsx.
    execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const failed = (err: Error): void => reject(err);
    const exited = (code: number): void => reject(new Error(`the store thread exited (${code}) before it served`));
    worker.once('error', failed);
    worker.once('exit', exited);
    worker.once('message', (message: { endpoint?: string; error?: string }) => {
      worker.off('error', failed);
      worker.off('exit', exited);
      if (message.endpoint !== undefined) resolve(message.endpoint);
      else reject(new Error(`the store did not start: ${message.error ?? 'unknown error'}`));
    });
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  worker.on('error', (err) => process.stderr.write(`embedded store thread failed: ${err.message}\n`));
  return {
    endpoint,
    close: async () => {
      // The thread closes the store and ends by itself (so profilers and LevelDB finish cleanly).
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
    },
  };
}

/**
 * LevelDB allows one process per directory; dynalite would only find out on its first request and crash there.
 * Opening (and closing) the directory first turns that into a clear message at start.
 */
async function assertNotLocked(path: string): Promise<void> {
  const db = new Level(path);
  try {
    await db.open();
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new Error(
      `The data directory ${path} cannot be opened (${cause}). Is another local gateway using it? Stop it, or give ` +
        "this one its own GATEWAY_DATA_DIR, or share the first one's store with DYNAMODB_ENDPOINT.",
      { cause: err },
    );
  }
  await db.close();
}

/**
 * ensureTables through a client of its own on the store at `endpoint` (the gateway's client, lambdas/aws-http, has
 * only the data-plane operations), closed after.
 */
export async function ensureTablesAt(endpoint: string, definitions: readonly TableDefinition[]): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  try {
    return await ensureTables(client, definitions);
  } finally {
    client.destroy();
  }
}

/** Creates each table that does not exist yet, from the same definitions the CDK stack uses. */
export async function ensureTables(client: DynamoDBClient, definitions: readonly TableDefinition[]): Promise<string[]> {
  const created: string[] = [];
  for (const table of definitions) {
    try {
      const existing = await client.send(new DescribeTableCommand({ TableName: table.id }));
      const have = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      const missing = table.globalIndexes.filter((index) => !have.has(index.indexName)).map((index) => index.indexName);
      if (missing.length > 0) {
        // dynalite cannot add an index to an existing table (DynamoDB can, and the stack does).
        throw new Error(
          `The local table ${table.id} predates index ${missing.join(', ')}. Move the data directory aside ` +
            '(or delete it) and start again to create the table afresh.',
        );
      }
      continue;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    const keys = [
      table.partitionKey,
      table.sortKey,
      ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];
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
    await waitUntilActive(client, table.id);
    created.push(table.id);
  }
  return created;
}

/** CreateTable answers while the table is still CREATING (dynalite too, for a tick): wait for ACTIVE. */
async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesReady = (out.Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (out.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}
