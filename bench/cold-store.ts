import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The DynamoDB the cold-start probe's requests write to (AWS_ENDPOINT_URL_DYNAMODB): every call answered with an
 * empty success (`{}`: a write went through, a read found nothing), counted as `dynamodb:<Operation>`. Without it the
 * chat request's booking would fail and retry, and the first request would measure the retries' backoff.
 */
export async function startColdStore(): Promise<{
  endpoint: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const operation = `dynamodb:${typeof target === 'string' ? target.replace(/^DynamoDB_\d+\./, '') : '?'}`;
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
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
