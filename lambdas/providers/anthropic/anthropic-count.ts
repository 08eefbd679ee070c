import type { MessageCountTokensParams, MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';

/**
 * A create request (anthropic-request.ts) → Anthropic's count_tokens params: what makes up the input (model,
 * messages, system, tools, tool_choice, output_config, thinking), without what only shapes the answer (max_tokens,
 * stop_sequences, metadata, sampling), which count_tokens refuses.
 */
export function toCountTokensParams(params: MessageCreateParamsBase): MessageCountTokensParams {
  const { model, messages, system, tools, tool_choice, output_config, thinking } = params;
  return {
    model,
    messages,
    ...(system === undefined ? {} : { system }),
    ...(tools === undefined ? {} : { tools }),
    ...(tool_choice === undefined ? {} : { tool_choice }),
    ...(output_config === undefined ? {} : { output_config }),
    ...(thinking === undefined ? {} : { thinking }),
  };
}
