import type { ChatRequest } from '../api/chat-schemas.js';
import { badRequest } from '../core/errors.js';
import { estimateInputTokens } from '../usage/estimate.js';
import type { MaxTokensCapConfig } from './config.js';
import type { PolicyDecision } from './decisions.js';
import type { RequestText } from './texts.js';
import { PolicyViolation } from './violation.js';

/** The cheap policies: model allowlist, input size in bytes and estimated tokens, the output-token cap. */

export function checkModelAllowed(request: ChatRequest, models: readonly string[] | undefined, plan: string): void {
  if (models !== undefined && !models.includes(request.model)) {
    throw new PolicyViolation(
      `The plan "${plan}" may not use the model "${request.model}".`,
      'model',
      'models.block',
      403,
    );
  }
}

/**
 * UTF-8 bytes of a value as JSON. The edge refuses JSON nested past MAX_JSON_DEPTH, so JSON.stringify's RangeError
 * (too deep for the stack) should not occur here; should it, it is the request's fault: a 400, not a 500.
 */
function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value), 'utf8');
  } catch (err) {
    if (err instanceof RangeError) throw badRequest('The request nests too deeply to be measured.', 'json_too_deep');
    throw err;
  }
}

/** UTF-8 bytes of the request's texts plus its tool definitions and json_schema, as the model would read them. */
export function inputBytes(request: ChatRequest, texts: readonly RequestText[]): number {
  let bytes = 0;
  for (const { text } of texts) bytes += Buffer.byteLength(text, 'utf8');
  if (request.tools !== undefined) bytes += jsonBytes(request.tools);
  if (request.response_format?.type === 'json_schema') bytes += jsonBytes(request.response_format.json_schema);
  return bytes;
}

export function checkInputSize(
  request: ChatRequest,
  texts: readonly RequestText[],
  limits: { readonly maxInputBytes?: number | undefined; readonly maxInputTokens?: number | undefined },
  plan: string,
): void {
  if (limits.maxInputBytes !== undefined) {
    const bytes = inputBytes(request, texts);
    if (bytes > limits.maxInputBytes) {
      throw new PolicyViolation(
        `Request blocked by policy maxInputBytes: it carries ${bytes} bytes of text; the plan "${plan}" allows ${limits.maxInputBytes}.`,
        'messages',
        'max_input_bytes.block',
      );
    }
  }
  if (limits.maxInputTokens !== undefined) {
    const tokens = estimateInputTokens(request);
    if (tokens > limits.maxInputTokens) {
      throw new PolicyViolation(
        `Request blocked by policy maxInputTokens: its input is about ${tokens} tokens; the plan "${plan}" allows ${limits.maxInputTokens}.`,
        'messages',
        'max_input_tokens.block',
      );
    }
  }
}

const CAPPED_FIELDS = ['max_tokens', 'max_completion_tokens'] as const;

/**
 * The output-token cap. `clamp` lowers max_tokens / max_completion_tokens above the limit to it; `reject` refuses
 * the request instead. In both modes a request that sets neither gets max_completion_tokens = limit (the field
 * both OpenAI, reasoning models included, and the Anthropic translation read), so leaving it out does not escape
 * the cap.
 */
export function capMaxTokens(
  request: ChatRequest,
  cap: MaxTokensCapConfig,
  plan: string,
): { request: ChatRequest; decisions: PolicyDecision[] } {
  const decisions: PolicyDecision[] = [];
  let capped = request;
  for (const field of CAPPED_FIELDS) {
    const asked = request[field];
    if (asked == null || asked <= cap.limit) continue;
    if (cap.mode === 'reject') {
      throw new PolicyViolation(
        `Request blocked by policy maxTokensCap: ${field} is ${asked}; the plan "${plan}" allows at most ${cap.limit}.`,
        field,
        `${field}.reject`,
      );
    }
    capped = { ...capped, [field]: cap.limit };
    decisions.push(`${field}.clamp=${cap.limit}`);
  }
  if (request.max_tokens == null && request.max_completion_tokens == null) {
    capped = { ...capped, max_completion_tokens: cap.limit };
    decisions.push(`max_completion_tokens.default=${cap.limit}`);
  }
  return { request: capped, decisions };
}
