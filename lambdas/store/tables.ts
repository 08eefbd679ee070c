/**
 * The DynamoDB tables, as plain data: the CDK stack creates them from this, and the local gateway creates the same
 * tables in its embedded store on first start. One table holds keys, quotas and the ledger (single-table design:
 * `pk`/`sk` strings, two generic GSIs for lookups and listings, `expiresAt` as the TTL attribute in epoch seconds).
 * Item layouts are documented beside the code that writes them (lambdas/keys/key-store.ts, ...).
 */
export type AttributeType = 'S' | 'N';

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: { readonly name: string; readonly type: AttributeType };
  readonly sortKey: { readonly name: string; readonly type: AttributeType };
}

export interface TableDefinition {
  /** Logical name: CDK construct id, local table name, and the suffix of the env var naming the table. */
  readonly id: string;
  readonly partitionKey: { readonly name: string; readonly type: AttributeType };
  readonly sortKey: { readonly name: string; readonly type: AttributeType };
  readonly globalIndexes: readonly IndexDefinition[];
  readonly ttlAttribute: string;
  /** The environment variable through which functions learn the table's physical name. */
  readonly envVar: string;
  /** The table's stream (DynamoDB Streams), when something derives from its changes: the ledger's aggregator. */
  readonly stream?: 'NEW_IMAGE';
}

export const gatewayTable: TableDefinition = {
  id: 'GatewayTable',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    {
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
  ],
  ttlAttribute: 'expiresAt',
  envVar: 'GATEWAY_TABLE',
  // Request records feed the ledger's aggregator (lambdas/ledger/aggregator.ts); locally the store front does.
  stream: 'NEW_IMAGE',
};

export const tables: readonly TableDefinition[] = [gatewayTable];
