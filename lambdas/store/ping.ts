import { DescribeTableCommand } from '../aws-http/dynamodb.js';
import { dynamo, tableName } from './client.js';

/** Resolves when the store answers and the gateway table is ACTIVE; rejects with a reason otherwise. */
export async function pingStore(timeoutMs = 2000): Promise<void> {
  const table = tableName();
  const result = await dynamo().send(new DescribeTableCommand({ TableName: table }), {
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
  const status = result.Table?.TableStatus;
  if (status !== 'ACTIVE') throw new Error(`table ${table} is ${status ?? 'missing'}`);
}
