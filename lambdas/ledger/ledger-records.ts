import { QueryCommand, type DynamoDBClient } from '../aws-http/dynamodb.js';
import type { Item } from '../store/attributes.js';
import { ledgerGsiKeys } from './ledger-shards.js';

/**
 * A tenant's request records of one day, in order (gsi1sk: `<createdAt>#<id>`): every gsi1 shard of the day and the
 * key records had before the shards (ledger-shards.ts), each Query paged, merged.
 */
export async function readLedgerRecords(
  client: DynamoDBClient,
  table: string,
  tenant: string,
  day: string,
): Promise<Item[]> {
  const parts = await Promise.all(
    ledgerGsiKeys(tenant, day).map(async (key) => {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: key } },
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    }),
  );
  const order = (item: Item): string => item.gsi1sk?.S ?? '';
  return parts.flat().sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}
