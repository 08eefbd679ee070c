import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { devKeyOf, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { tempDir } from '../helpers/tmp.js';

// `npm start` as a user runs it: a separate process, its JSON logs on stdout, killed without warning or stopped
// politely, its data directory surviving both.
const data = tempDir('gw-process');
const running: GatewayProcess[] = [];

async function start(): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({ GATEWAY_DATA_DIR: data.path });
  running.push(gateway);
  return gateway;
}

function storeClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

afterAll(async () => {
  for (const gateway of running) {
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
  data.remove();
});

it('every log line of a request carries its request id, in JSON', async () => {
  const gateway = await start();
  await fetch(`${gateway.url}/health/ready`, { headers: { 'X-Request-Id': 'proc-ready-1' } });
  await fetch(`${gateway.url}/no/such`, { headers: { 'X-Request-Id': 'proc-404-1' } });
  const output = await gateway.waitForOutput((text) => text.split('"requestId":"proc-404-1"').length - 1 === 2);
  const logs = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(logs.length).toBeGreaterThanOrEqual(3);
  for (const entry of logs) expect(typeof entry.requestId).toBe('string');
  const ready = logs.filter((entry) => entry.requestId === 'proc-ready-1');
  expect(ready).toEqual([expect.objectContaining({ message: 'request', status: 200, path: '/health/ready' })]);
  const missing = logs.filter((entry) => entry.requestId === 'proc-404-1').map((entry) => entry.message);
  expect(missing).toEqual(['request rejected', 'request']);
  gateway.child.kill('SIGKILL');
  await gateway.exited;
});

it('SIGKILL loses nothing stored; SIGTERM exits cleanly; the dev key survives both', async () => {
  const first = await start();
  const devKey = devKeyOf(first.output());
  expect(devKey.key).toMatch(/^lgw_/);
  const client = storeClient(first.storeEndpoint);
  await client.send(
    new PutItemCommand({
      TableName: 'GatewayTable',
      Item: { pk: { S: 'TEST#persist' }, sk: { S: 'v1' }, value: { N: '42' } },
    }),
  );
  client.destroy();
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');

  const second = await start();
  const again = storeClient(second.storeEndpoint);
  const got = await again.send(
    new GetItemCommand({ TableName: 'GatewayTable', Key: { pk: { S: 'TEST#persist' }, sk: { S: 'v1' } } }),
  );
  again.destroy();
  expect(got.Item?.value).toEqual({ N: '42' });
  expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
  expect(devKeyOf(second.output())).toEqual({ key: devKey.key, created: false });
  const models = await fetch(`${second.url}/v1/models`, { headers: { Authorization: `Bearer ${devKey.key}` } });
  expect(models.status).toBe(200);

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(second.output()).toContain('SIGTERM: finishing in-flight requests, then closing the store');
});
