import { GetItemCommand } from '../aws-http/dynamodb.js';
import { dynamo, tableName } from './client.js';

/** A key no item has (no writer builds a `WARMUP#` key). */
const NO_ITEM = { pk: { S: 'WARMUP#init' }, sk: { S: 'WARMUP#init' } };

/**
 * One GetItem of a key that does not exist (0.5 read units) through the process's DynamoDB client: its first use —
 * the endpoint and credentials resolved, the signing key derived, and the TLS connection, which its keep-alive agent
 * keeps for the requests after. Done at init (runtime/init-warmup.ts) so that the first request does not pay it.
 */
export async function warmStoreClient(): Promise<void> {
  await dynamo().send(new GetItemCommand({ TableName: tableName(), Key: NO_ITEM, ProjectionExpression: 'pk' }), {
    abortSignal: AbortSignal.timeout(3000),
  });
}
