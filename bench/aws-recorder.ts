import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayTable } from '../lambdas/store/tables.js';

/** The provider secret's ARN the measured functions are given (the recorder answers GetSecretValue for it). */
export const FAKE_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-provider-keys';

/**
 * A stand-in for every AWS endpoint (AWS_ENDPOINT_URL points the SDK clients here): records each call as
 * `dynamodb:<Operation>`, `secretsmanager:<Operation>` or `<METHOD> <path>`, and answers DescribeTable and
 * GetSecretValue as AWS would (the control needs answers), anything else with an error — or, with
 * `otherDynamoDb: 'empty'`, every other DynamoDB call with an empty success (`{}`: a write went through, a read found
 * nothing), so the probe's requests do not measure a failing booking's retries. The secret holds `providerKeys`
 * (none by default).
 */
export async function startRecorder(
  options: { otherDynamoDb?: 'error' | 'empty'; providerKeys?: Readonly<Record<string, string>> } = {},
): Promise<{
  endpoint: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const operation =
        typeof target === 'string'
          ? target.replace(/^DynamoDB_\d+\./, 'dynamodb:').replace(/^secretsmanager\./, 'secretsmanager:')
          : `${req.method ?? '?'} ${req.url ?? ''}`;
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      const answer =
        operation === 'dynamodb:DescribeTable'
          ? { Table: { TableName: gatewayTable.id, TableStatus: 'ACTIVE' } }
          : operation === 'secretsmanager:GetSecretValue'
            ? {
                ARN: FAKE_SECRET_ARN,
                Name: 'bench',
                SecretString: JSON.stringify(options.providerKeys ?? {}),
                VersionId: 'v1',
              }
            : options.otherDynamoDb === 'empty' && operation.startsWith('dynamodb:')
              ? {}
              : undefined;
      res.writeHead(answer === undefined ? 400 : 200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify(
          answer ?? { __type: 'UnknownOperationException', message: 'the benchmark recorder only records' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
