import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { AttributeType as PlainAttributeType, TableDefinition } from '../lambdas/store/tables.js';

const attributeType = (type: PlainAttributeType): AttributeType =>
  type === 'S' ? AttributeType.STRING : AttributeType.NUMBER;

/** A DynamoDB table from its plain definition: on demand, point-in-time recovery, TTL, AWS-managed encryption, its stream. */
export function createTable(scope: Construct, definition: TableDefinition, removalPolicy: RemovalPolicy): Table {
  const table = new Table(scope, definition.id, {
    partitionKey: { name: definition.partitionKey.name, type: attributeType(definition.partitionKey.type) },
    sortKey: { name: definition.sortKey.name, type: attributeType(definition.sortKey.type) },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: definition.ttlAttribute,
    encryption: TableEncryption.AWS_MANAGED,
    ...(definition.stream === 'NEW_IMAGE' ? { stream: StreamViewType.NEW_IMAGE } : {}),
    removalPolicy,
  });
  for (const index of definition.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
      sortKey: { name: index.sortKey.name, type: attributeType(index.sortKey.type) },
    });
  }
  return table;
}
