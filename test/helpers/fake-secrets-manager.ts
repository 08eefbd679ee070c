import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSecretsManager {
  readonly endpoint: string;
  /** GetSecretValue calls received, with the SecretId each asked for. */
  readonly calls: string[];
  /** What the next calls answer: a secret string, or an AWS error type with its HTTP status. */
  answer: { secretString: string } | { errorType: string; status: number };
  close(): Promise<void>;
}

/** Secrets Manager's JSON 1.1 protocol (X-Amz-Target: secretsmanager.GetSecretValue) on a local port. */
export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const fake: Omit<FakeSecretsManager, 'endpoint' | 'close'> = { calls: [], answer: { secretString: '{}' } };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue') {
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      fake.calls.push(SecretId);
      const answer = fake.answer;
      if ('errorType' in answer) {
        res.writeHead(answer.status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: answer.errorType, message: 'denied by the fake' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({ ARN: SecretId, Name: 'provider-keys', SecretString: answer.secretString, VersionId: 'v1' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
