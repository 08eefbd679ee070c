import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ThrottlingException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '../../lambdas/aws-http/dynamodb.js';
import { GetSecretValueCommand, SecretsManagerClient } from '../../lambdas/aws-http/secrets-manager.js';

// The client against a scripted local server: what goes on the wire, how error answers become errors, which
// failures are retried (the SDK's standard mode), and aborts.

interface Seen {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
type Answer = (res: ServerResponse) => void;

let server: Server;
let endpoint: string;
let script: Answer[] = [];
let seen: Seen[] = [];
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      const answer = script.shift();
      if (answer === undefined) res.writeHead(500).end('{"__type":"NoScript"}');
      else answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});
beforeEach(() => {
  script = [];
  seen = [];
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (res) =>
    res
      .writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1', ...headers })
      .end(JSON.stringify(body));

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'never-shown', sessionToken: 'session-tok' };
function dynamo(maxAttempts = 3): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts });
  clients.push(client);
  return client;
}
const getItem = () => new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } });

it('sends a signed JSON 1.0 call with its target, and returns the answer with $metadata', async () => {
  script = [json(200, { Item: { pk: { S: 'a' }, n: { N: '1' } } })];
  const out = await dynamo().send(getItem());
  expect(out.Item).toEqual({ pk: { S: 'a' }, n: { N: '1' } });
  expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-1', attempts: 1 });
  const [call] = seen;
  expect(call?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
  expect(call?.headers['content-type']).toBe('application/x-amz-json-1.0');
  expect(call?.headers['x-amz-security-token']).toBe('session-tok');
  expect(call?.headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/dynamodb\/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
  );
  expect(JSON.parse(call?.body ?? '')).toEqual({ TableName: 't', Key: { pk: { S: 'a' } } });
});

it('sends bytes as base64 and gives binary attributes back as bytes', async () => {
  script = [json(200, {}), json(200, { Item: { b: { B: 'AQID' }, bs: { BS: ['AQ==', 'Ag=='] }, s: { S: 'B' } } })];
  await dynamo().send(new PutItemCommand({ TableName: 't', Item: { b: { B: Buffer.from([1, 2, 3]) } } }));
  expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ TableName: 't', Item: { b: { B: 'AQID' } } });
  const out = await dynamo().send(getItem());
  expect(Buffer.from(out.Item?.b?.B ?? [])).toEqual(Buffer.from([1, 2, 3]));
  expect(out.Item?.bs?.BS?.map((b) => [...b])).toEqual([[1], [2]]);
  expect(out.Item?.s).toEqual({ S: 'B' });
});

it('fills TransactWriteItems’ idempotency token (the SDK does), the same on every retry', async () => {
  script = [json(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' }), json(200, {})];
  await dynamo().send(new TransactWriteItemsCommand({ TransactItems: [] }));
  const tokens = seen.map((call) => (JSON.parse(call.body) as { ClientRequestToken?: string }).ClientRequestToken);
  expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(tokens[1]).toBe(tokens[0]);
  // One invocation id for both attempts (as the SDK: stores and proxies tell a retry from a new call by it).
  expect(seen[1]?.headers['amz-sdk-invocation-id']).toBe(seen[0]?.headers['amz-sdk-invocation-id']);
  expect(seen.map((call) => call.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3']);
});

it('maps an error answer to the exception class of its __type, with message, fields and $metadata', async () => {
  const reasons = [{ Code: 'ConditionalCheckFailed', Message: 'no', Item: { pk: { S: 'a' } } }, { Code: 'None' }];
  script = [
    json(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
      CancellationReasons: reasons,
    }),
  ];
  const err: unknown = await dynamo()
    .send(new TransactWriteItemsCommand({ TransactItems: [] }))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TransactionCanceledException);
  const cancelled = err as TransactionCanceledException;
  expect(cancelled.name).toBe('TransactionCanceledException');
  expect(cancelled.message).toMatch(/^Transaction cancelled/);
  expect(cancelled.CancellationReasons).toEqual(reasons);
  expect(cancelled.$fault).toBe('client');
  expect(cancelled.$metadata).toMatchObject({ httpStatusCode: 400, requestId: 'req-1' });
  expect(seen).toHaveLength(1);
});

it('takes the name from x-amzn-ErrorType when the body has none; unknown names keep their name', async () => {
  script = [json(400, { message: 'odd' }, { 'x-amzn-ErrorType': 'SomeNewException:http://internal.amazon.com/' })];
  const err = (await dynamo()
    .send(getItem())
    .catch((e: unknown) => e)) as Error & { $fault: string };
  expect([err.name, err.message, err.$fault]).toEqual(['SomeNewException', 'odd', 'client']);
});

it('does not retry a failed condition (a client error)', async () => {
  script = [
    json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'failed' }),
    json(200, {}),
  ];
  const err = await dynamo()
    .send(getItem())
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConditionalCheckFailedException);
  expect(seen).toHaveLength(1);
});

it('retries a 500 and then answers', async () => {
  script = [json(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' }), json(200, {})];
  const out = await dynamo().send(getItem());
  expect(out.$metadata.attempts).toBe(2);
  expect(seen).toHaveLength(2);
});

it('retries a 400 ThrottlingException and then answers', async () => {
  script = [json(400, { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'slow' }), json(200, {})];
  await dynamo().send(getItem());
  expect(seen).toHaveLength(2);
});

it('retries an answer cut mid-body (socket destroyed) and then answers', async () => {
  script = [
    (res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': '100' });
      res.write('{"Item":');
      setImmediate(() => res.socket?.destroy());
    },
    json(200, { Item: { pk: { S: 'a' } } }),
  ];
  const out = await dynamo().send(getItem());
  expect(out.Item).toEqual({ pk: { S: 'a' } });
  expect(seen).toHaveLength(2);
});

it('stops after maxAttempts and throws the last error', async () => {
  const throttled = json(400, { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'slow' });
  script = [throttled, throttled, throttled];
  const err = await dynamo(2)
    .send(getItem())
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ThrottlingException);
  expect(seen).toHaveLength(2);
});

it('rejects with an AbortError when the signal fires while the answer is awaited, and does not retry', async () => {
  script = [() => undefined]; // never answers
  const controller = new AbortController();
  const pending = dynamo().send(getItem(), { abortSignal: controller.signal });
  await new Promise<void>((resolve) => {
    const check = (): void => (seen.length > 0 ? resolve() : void setTimeout(check, 5));
    check();
  });
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  expect(seen).toHaveLength(1);
});

it('an already aborted signal sends nothing', async () => {
  await expect(dynamo().send(getItem(), { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
    name: 'AbortError',
  });
  expect(seen).toHaveLength(0);
});

it('Secrets Manager: JSON 1.1, its target, the secret string back', async () => {
  script = [json(200, { ARN: 'arn', Name: 'n', SecretString: '{"openai":"k"}' })];
  const client = new SecretsManagerClient({ endpoint, region: 'eu-west-1', credentials });
  clients.push(client);
  const out = await client.send(new GetSecretValueCommand({ SecretId: 'arn' }));
  expect(out.SecretString).toBe('{"openai":"k"}');
  expect(seen[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
  expect(seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(seen[0]?.headers.authorization).toContain('/eu-west-1/secretsmanager/aws4_request');
});
