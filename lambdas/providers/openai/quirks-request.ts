import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';
import { thinkingEffort } from './ignored-fields.js';
import type { RefusableField, VendorQuirks } from './vendor-quirks.js';

/**
 * A vendor preset's quirks applied to the OpenAI request (vendor-quirks.ts), by the field rule: a refused field whose
 * loss would change the answer is a 400 `unsupported_parameter` naming it (another target may take it); a refused
 * hint, or a refused field set to what changes nothing (a penalty of 0, top_logprobs 0), is dropped and named in
 * X-Gateway-Ignored; null, `logprobs: false` and an empty logit_bias are dropped unnamed (they ask for nothing).
 */
function effective(request: ChatRequest, field: RefusableField): boolean {
  switch (field) {
    case 'seed':
      return request.seed != null;
    case 'frequency_penalty':
    case 'presence_penalty':
      return request[field] != null && request[field] !== 0;
    case 'logprobs':
      return request.logprobs === true;
    case 'top_logprobs':
      return request.top_logprobs != null && request.top_logprobs > 0;
    case 'logit_bias':
      return request.logit_bias != null && Object.keys(request.logit_bias).length > 0;
  }
}

const unset = (value: unknown): boolean =>
  value == null ||
  value === false ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

export function rejectByQuirks(request: ChatRequest, quirks: VendorQuirks, vendor: string): void {
  const field = quirks.refuses.find((name) => effective(request, name));
  if (field === undefined) return;
  throw badRequest(
    `${field} is not supported by this ${vendor} target; remove it or route this request to another model.`,
    'unsupported_parameter',
    field,
  );
}

export function ignoredByQuirks(request: ChatRequest, quirks: VendorQuirks): string[] {
  const fields = [...quirks.refuses, ...quirks.drops].filter((field) => !unset(request[field]));
  const messages = quirks.messageDrops.filter((field) =>
    request.messages.some(
      (message) => Object.hasOwn(message, field) && (message as Record<string, unknown>)[field] != null,
    ),
  );
  // `thinking` becomes reasoning_effort (ignored-fields.ts): where that is dropped, so is the thinking.
  const thinking = quirks.drops.includes('reasoning_effort') && thinkingEffort(request) !== undefined;
  return [...fields, ...messages, ...(thinking ? ['thinking'] : [])];
}

/** The upstream body without what the vendor refuses, its renamed fields under the vendor's names. */
export function applyQuirks(
  body: ChatCompletionCreateParamsBase,
  quirks: VendorQuirks,
): ChatCompletionCreateParamsBase {
  const out: Record<string, unknown> = { ...body };
  for (const field of [...quirks.refuses, ...quirks.drops]) delete out[field];
  for (const [from, to] of Object.entries(quirks.renames)) {
    if (!Object.hasOwn(out, from)) continue;
    if (out[to] == null) out[to] = out[from];
    delete out[from];
  }
  if (quirks.messageDrops.length > 0) {
    out.messages = body.messages.map((message) => {
      const copy: Record<string, unknown> = { ...message };
      for (const field of quirks.messageDrops) delete copy[field];
      return copy;
    });
  }
  return out as unknown as ChatCompletionCreateParamsBase;
}
