import { DynamoDBClient } from '../aws-http/dynamodb.js';
import { gatewayTable } from './tables.js';

let client: DynamoDBClient | undefined;

/**
 * The DynamoDB client of this process, built on first use and reused by every request after. DYNAMODB_ENDPOINT
 * points it at the local store, with fixed local credentials so no real AWS credential is ever sent there.
 */
export function dynamo(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  client ??= endpoint
    ? new DynamoDBClient({
        endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
      })
    : new DynamoDBClient({ maxAttempts: 3 });
  return client;
}

/** Closes the client's sockets (local server shutdown, tests). */
export function closeDynamo(): void {
  client?.destroy();
  client = undefined;
}

/** The physical name of the gateway table (set by the stack; the local store uses the logical name). */
export const tableName = (): string => process.env[gatewayTable.envVar] ?? gatewayTable.id;

/**
 * A per-process value built on the current client (a store object), rebuilt when the client changes (the local
 * server and tests point DYNAMODB_ENDPOINT elsewhere and close the old client).
 */
export function onClient<T>(make: (client: DynamoDBClient, table: string) => T): () => T {
  let built: { client: DynamoDBClient; value: T } | undefined;
  return () => {
    const current = dynamo();
    if (built === undefined || built.client !== current) built = { client: current, value: make(current, tableName()) };
    return built.value;
  };
}
