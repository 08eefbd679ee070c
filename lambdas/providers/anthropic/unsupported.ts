import type { ChatRequest } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';
import { ANTHROPIC_VERSION } from './anthropic-api.js';

/**
 * Fields the Anthropic API (version 2026-10-21) does not have and whose loss would change the answer: set to a value
 * they are a 400 naming the field rather than silently dropped (the client asked for behaviour this target cannot
 * give). `null`, `false`, an empty `logit_bias` and text-only `modalities` mean unset.
 */
const UNSUPPORTED = ['temperature', 'top_p', 'seed', 'frequency_penalty', 'presence_penalty', 'top_logprobs'] as const;

function refuse(field: string, what = `${field} is not supported`): never {
  throw badRequest(
    `${what} by Anthropic targets (API ${ANTHROPIC_VERSION}); remove it or route this request to another model.`,
    'unsupported_parameter',
    field,
  );
}

/**
 * Sampling set to Anthropic's own default (temperature 1, top_p 1: what Claude Code sends) asks for nothing this API
 * would not do anyway: dropped and named (ignored-fields.ts), not refused.
 */
export const AT_DEFAULT: Readonly<Partial<Record<(typeof UNSUPPORTED)[number], number>>> = { temperature: 1, top_p: 1 };

export function rejectUnsupported(request: ChatRequest): void {
  for (const field of UNSUPPORTED) {
    if (request[field] != null && request[field] !== AT_DEFAULT[field]) refuse(field);
  }
  if (request.logprobs === true) refuse('logprobs');
  if (request.logit_bias != null && Object.keys(request.logit_bias).length > 0) refuse('logit_bias');
  if (request.modalities?.includes('audio') === true) refuse('modalities', 'Audio output is not supported');
}
