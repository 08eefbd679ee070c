import { CreateApiKeyCommand, CreateUsagePlanKeyCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import { ApiGatewayUsageKeys } from '../../lambdas/keys/usage-keys.js';

// Issue 14 item 16: AWS documents usage-plan API key values as alphanumeric strings of 20 to 128 characters.

/** Fakes answering just what forTenant sends: no stored usage key yet, API key creation, its association, the put. */
function fakes(): {
  dynamo: DynamoDBClient;
  apigateway: APIGatewayClient;
  created: string[];
  tags: (Record<string, string> | undefined)[];
} {
  const created: string[] = [];
  const tags: (Record<string, string> | undefined)[] = [];
  const dynamo = {
    send: async (command: unknown) => {
      if (command instanceof GetItemCommand) return {};
      if (command instanceof PutItemCommand) return {};
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as DynamoDBClient;
  const apigateway = {
    send: async (command: unknown) => {
      if (command instanceof CreateApiKeyCommand) {
        created.push(command.input.value ?? '');
        tags.push(command.input.tags);
        return { id: `id-${created.length}` };
      }
      if (command instanceof CreateUsagePlanKeyCommand) return {};
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as APIGatewayClient;
  return { dynamo, apigateway, created, tags };
}

it('new usage-plan key values are 20-128 alphanumeric characters, and distinct', async () => {
  const { dynamo, apigateway, created } = fakes();
  const keys = new ApiGatewayUsageKeys(dynamo, 'table', { default: 'plan-1' }, apigateway);
  const values: string[] = [];
  for (let i = 0; i < 200; i++) values.push(await keys.forTenant(`tenant-${i}`, 'default'));
  expect(created).toEqual(values);
  expect(values.filter((value) => !/^[A-Za-z0-9]{20,128}$/.test(value))).toEqual([]);
  expect(new Set(values).size).toBe(values.length);
});

it('each new API key is tagged llm-gateway:stack=<stack name>, so it can be found after the stack is gone', async () => {
  const { dynamo, apigateway, tags } = fakes();
  await new ApiGatewayUsageKeys(dynamo, 'table', { default: 'plan-1' }, apigateway, 'GatewayA').forTenant(
    't',
    'default',
  );
  expect(tags).toEqual([{ 'llm-gateway:stack': 'GatewayA' }]);
  await new ApiGatewayUsageKeys(dynamo, 'table', { default: 'plan-1' }, apigateway).forTenant('t', 'default');
  expect(tags[1]).toBeUndefined();
});
