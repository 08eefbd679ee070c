import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';

/** The outputs `llm-gateway stack outputs` reads (cli/stack-outputs.ts), by name. */
export const URL_OUTPUTS = ['ApiUrl', 'OpenAIBaseUrl', 'AnthropicBaseUrl', 'RestApiId', 'MetricsNamespace'] as const;

/**
 * Where clients point: API Gateway serves the stage at `https://<api>.execute-api.<region>.<suffix>/<stage>/` and the
 * routes keep their `/v1/…` paths under it, so the OpenAI SDKs' base URL is `<stage URL>/v1` and the Anthropic SDK's
 * is the stage URL (it appends `/v1/messages` itself).
 */
export function addUrlOutputs(stack: Stack & { readonly metricsNamespace: string }, api: RestApi, stage: string): void {
  const stageUrl = `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stage}`;
  new CfnOutput(stack, 'ApiUrl', {
    value: api.url,
    description: `The stage URL (stage ${stage}); every route sits under it, e.g. <ApiUrl>v1/chat/completions`,
  });
  new CfnOutput(stack, 'OpenAIBaseUrl', {
    value: `${stageUrl}/v1`,
    description: 'The base URL for OpenAI clients (OPENAI_BASE_URL, baseURL, base_url)',
  });
  new CfnOutput(stack, 'AnthropicBaseUrl', {
    value: stageUrl,
    description: 'The base URL for Anthropic clients (ANTHROPIC_BASE_URL, baseURL): they add /v1/messages',
  });
  new CfnOutput(stack, 'RestApiId', {
    value: api.restApiId,
    description: 'The REST API id (its usage plans and their API keys: llm-gateway usage-plan-keys)',
  });
  new CfnOutput(stack, 'MetricsNamespace', {
    value: stack.metricsNamespace,
    description: "The CloudWatch namespace of this stack's request metrics",
  });
}
