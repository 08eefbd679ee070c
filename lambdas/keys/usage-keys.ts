import { randomBytes } from 'node:crypto';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import { requireString, s } from '../store/attributes.js';
import { STACK_TAG } from './stack-tag.js';

/**
 * The usage-plan key of a tenant on a plan: what the authorizer returns as `usageIdentifierKey`, so API Gateway
 * applies the plan's throttle and quota to that tenant. One API Gateway API key per tenant and plan (not per
 * gateway key: the region allows 10,000), shared by all of the tenant's keys on the plan.
 */
export interface UsageKeys {
  forTenant(tenant: string, plan: string): Promise<string>;
}

/** Locally the value only has to identify the tenant and plan to the usage-plan emulation. */
export class LocalUsageKeys implements UsageKeys {
  async forTenant(tenant: string, plan: string): Promise<string> {
    return `local-${tenant}-${plan}`;
  }
}

/**
 * In AWS: created on first need (CreateApiKey + CreateUsagePlanKey) and remembered in the table
 * (pk TENANT#<tenant>, sk USAGEKEY#<plan>). Two admins racing both create a key; the loser deletes its own. Each API
 * key is tagged `llm-gateway:stack=<stack name>` when the stack's name is known, so the keys of a stack can be found
 * (and deleted) even after the stack, its usage plans and its table are gone.
 */
export class ApiGatewayUsageKeys implements UsageKeys {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly table: string,
    private readonly usagePlanIds: Readonly<Record<string, string>>,
    private readonly apigateway: APIGatewayClient = new APIGatewayClient({ maxAttempts: 3 }),
    private readonly stackName: string | undefined = undefined,
  ) {}

  async forTenant(tenant: string, plan: string): Promise<string> {
    const key = { pk: s(`TENANT#${tenant}`), sk: s(`USAGEKEY#${plan}`) };
    const known = await this.dynamo.send(new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    if (known.Item !== undefined) return requireString(known.Item, 'value');

    const usagePlanId = Object.hasOwn(this.usagePlanIds, plan) ? this.usagePlanIds[plan] : undefined;
    if (usagePlanId === undefined) throw new Error(`no usage plan deployed for plan ${plan}`);
    // AWS documents API key values as 20 to 128 alphanumeric characters: 256 random bits in hex (64 characters).
    const value = randomBytes(32).toString('hex');
    const created = await this.apigateway.send(
      new CreateApiKeyCommand({
        name: `lgw-${tenant}-${plan}-${Date.now()}`,
        enabled: true,
        value,
        description: `LLM Gateway usage key of tenant ${tenant} on plan ${plan}`,
        ...(this.stackName ? { tags: { [STACK_TAG]: this.stackName } } : {}),
      }),
    );
    const apiKeyId = created.id;
    if (apiKeyId === undefined) throw new Error('CreateApiKey returned no id');
    try {
      await this.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: apiKeyId, keyType: 'API_KEY' }));
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...key, value: s(value), apiKeyId: s(apiKeyId), usagePlanId: s(usagePlanId) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return value;
    } catch (err) {
      await this.apigateway.send(new DeleteApiKeyCommand({ apiKey: apiKeyId })).catch(() => undefined);
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const winner = await this.dynamo.send(
        new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      if (winner.Item === undefined) throw err;
      return requireString(winner.Item, 'value');
    }
  }
}
