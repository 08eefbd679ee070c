import type { ChatRequest } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';
import { ANTHROPIC_VERSION } from './anthropic-client.js';

/**
 * Sampling fields the Anthropic API (version 2026-10-21) does not have. Set to a value they are a 400 naming the
 * field rather than silently ignored: the client asked for behaviour this target cannot give. `null` means unset.
 */
const UNSUPPORTED = ['temperature', 'top_p', 'seed', 'frequency_penalty', 'presence_penalty'] as const;

export function rejectUnsupported(request: ChatRequest): void {
  for (const field of UNSUPPORTED) {
    if (request[field] != null) {
      throw badRequest(
        `${field} is not supported by Anthropic targets (API ${ANTHROPIC_VERSION}); remove it or route this request to another model.`,
        'unsupported_parameter',
        field,
      );
    }
  }
}
