import type { ChatRequest } from '../../api/chat-schemas.js';
import type { ProviderCall } from '../types.js';

/** The beta `context_management` needs (it is in the SDK's beta namespace only). */
export const CONTEXT_MANAGEMENT_BETA = 'context-management-2025-06-27';

/**
 * The `anthropic-beta` header of an upstream call: the client's tokens (its own `anthropic-beta` header on
 * /v1/messages, checked at the edge), in order, plus the beta a field of the request needs when the client did not
 * name it. No header when there is none.
 */
export function betaHeaders(call: Pick<ProviderCall, 'betas'>, request: ChatRequest): Record<string, string> {
  const betas = [...(call.betas ?? [])];
  if (request.context_management !== undefined && !betas.includes(CONTEXT_MANAGEMENT_BETA)) {
    betas.push(CONTEXT_MANAGEMENT_BETA);
  }
  return betas.length === 0 ? {} : { 'anthropic-beta': betas.join(',') };
}
