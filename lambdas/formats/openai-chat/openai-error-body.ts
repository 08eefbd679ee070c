import type { GatewayError, OpenAIErrorBody } from '../../core/errors.js';

/**
 * OpenAI's error body, `{ error: { message, type, param, code } }`: the gateway's own error shape (GatewayError's),
 * on every route but those answering in another format.
 */
export const openAIErrorBody = (error: GatewayError): OpenAIErrorBody => error.toBody();
