import type {
  ConverseRequest,
  ConverseStreamRequest,
  InferenceConfiguration,
  OutputConfig,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest } from '../../api/chat-schemas.js';
import type { ProviderCall } from '../types.js';
import { toBedrockConversation } from './bedrock-conversation.js';
import { toToolConfig } from './bedrock-tools.js';
import { isAnthropicModel, rejectUnsupported } from './field-rule.js';

/**
 * The validated OpenAI request → a Converse (or ConverseStream) request for the target's model id or
 * inference-profile ARN.
 * - max_completion_tokens ?? max_tokens → inferenceConfig.maxTokens (else the model's default); temperature, top_p,
 *   stop → temperature, topP, stopSequences.
 * - response_format json_schema → outputConfig.textFormat (Bedrock's structured output: the schema as JSON text, its
 *   name and description); json_object → the same with an open object schema. A model without structured output
 *   answers a ValidationException, which fails over like a missing feature (bedrock-error.ts).
 * - Claude's own settings, on Anthropic model ids only (field-rule.ts): `thinking` as given in
 *   additionalModelRequestFields, reasoning_effort → outputConfig.effort (minimal → low; none → not sent).
 * - With `stop` on an Anthropic model id, additionalModelResponseFieldPaths ["/stop_sequence"]: the answer then names
 *   the sequence that matched (bedrock-usage.ts stopSequenceOf).
 * - The target's guardrail → guardrailConfig; streams process it synchronously (a blocked answer never streams out
 *   before the guardrail judged it).
 * Throws a 400 GatewayError for what cannot be translated (field-rule.ts, images, documents, tool arguments).
 */
type CommonRequest = Omit<ConverseRequest, 'guardrailConfig'>;
type Document = NonNullable<ConverseRequest['additionalModelRequestFields']>;

const stopSequences = (stop: ChatRequest['stop']): string[] | undefined =>
  stop == null ? undefined : typeof stop === 'string' ? [stop] : [...stop];

function inferenceConfig(request: ChatRequest): InferenceConfiguration | undefined {
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const stop = stopSequences(request.stop);
  const config: InferenceConfiguration = {
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(request.temperature == null ? {} : { temperature: request.temperature }),
    ...(request.top_p == null ? {} : { topP: request.top_p }),
    ...(stop === undefined ? {} : { stopSequences: stop }),
  };
  return Object.keys(config).length === 0 ? undefined : config;
}

function textFormat(format: ChatRequest['response_format']): OutputConfig['textFormat'] {
  if (format?.type !== 'json_schema' && format?.type !== 'json_object') return undefined;
  const spec = format.type === 'json_schema' ? format.json_schema : undefined;
  const schema = spec?.schema ?? { type: 'object' };
  return {
    type: 'json_schema',
    structure: {
      jsonSchema: {
        schema: JSON.stringify(schema),
        ...(spec === undefined ? {} : { name: spec.name }),
        ...(spec?.description === undefined ? {} : { description: spec.description }),
      },
    },
  };
}

function effortOf(request: ChatRequest, claude: boolean): string | undefined {
  const effort = request.reasoning_effort;
  if (!claude || effort == null || effort === 'none') return undefined;
  return effort === 'minimal' ? 'low' : effort;
}

function outputConfig(request: ChatRequest, claude: boolean): OutputConfig | undefined {
  const format = textFormat(request.response_format);
  const effort = effortOf(request, claude);
  if (format === undefined && effort === undefined) return undefined;
  return { ...(format === undefined ? {} : { textFormat: format }), ...(effort === undefined ? {} : { effort }) };
}

export function toConverseRequest(request: ChatRequest, model: string): CommonRequest {
  rejectUnsupported(request);
  const { system, messages, hasToolBlocks } = toBedrockConversation(request.messages);
  const claude = isAnthropicModel(model);
  const inference = inferenceConfig(request);
  const tools = toToolConfig(request, messages, hasToolBlocks);
  const output = outputConfig(request, claude);
  // JSON round trip: the thinking object as plain JSON (no undefined members), the SDK's document type.
  const thinking =
    claude && request.thinking !== undefined
      ? (JSON.parse(JSON.stringify({ thinking: request.thinking })) as Document)
      : undefined;
  return {
    modelId: model,
    messages,
    ...(system.length === 0 ? {} : { system }),
    ...(inference === undefined ? {} : { inferenceConfig: inference }),
    ...(tools === undefined ? {} : { toolConfig: tools }),
    ...(output === undefined ? {} : { outputConfig: output }),
    ...(thinking === undefined ? {} : { additionalModelRequestFields: thinking }),
    // Which stop sequence matched: Claude says so when asked (the Anthropic format hands it back).
    ...(claude && inference?.stopSequences !== undefined
      ? { additionalModelResponseFieldPaths: ['/stop_sequence'] }
      : {}),
  };
}

const guardrailOf = (call: ProviderCall) =>
  call.guardrail === undefined
    ? undefined
    : { guardrailIdentifier: call.guardrail.identifier, guardrailVersion: call.guardrail.version };

export function converseInput(call: ProviderCall): ConverseRequest {
  const guardrail = guardrailOf(call);
  return {
    ...toConverseRequest(call.request, call.model),
    ...(guardrail === undefined ? {} : { guardrailConfig: guardrail }),
  };
}

export function converseStreamInput(call: ProviderCall): ConverseStreamRequest {
  const guardrail = guardrailOf(call);
  return {
    ...toConverseRequest(call.request, call.model),
    ...(guardrail === undefined ? {} : { guardrailConfig: { ...guardrail, streamProcessingMode: 'sync' } }),
  };
}
