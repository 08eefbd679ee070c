/**
 * The cold-start floor of the chat function: a Middy handler that loads what the product prescribes for it — the
 * official `openai` and `@anthropic-ai/sdk` clients, Powertools Logger and Metrics, the DynamoDB and Secrets Manager
 * clients — and builds one of each at import, as any handler does, but has no gateway code and calls nothing.
 * The chat bundle cannot start faster than this; the benchmark shows it beside hello-world.
 */
import Anthropic from '@anthropic-ai/sdk';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import OpenAI from 'openai';

const clients = [
  new OpenAI({ apiKey: 'floor', maxRetries: 0 }),
  new Anthropic({ apiKey: 'floor', maxRetries: 0 }),
  new DynamoDBClient({}),
  new SecretsManagerClient({}),
];
const logger = new Logger({ serviceName: 'sdk-floor' });
const metrics = new Metrics({ namespace: 'Floor', serviceName: 'sdk-floor' });

export const handler = middy(async (): Promise<{ statusCode: number; body: string }> => {
  logger.debug('floor', { clients: clients.length });
  metrics.addMetric('Floor', 'Count', 1);
  return { statusCode: 200, body: 'floor' };
});
