import { errorResponseSchema } from '../lambdas/api/schemas.js';
import type { ApiResponse } from './http.js';

const MAX_TEXT = 200;

/**
 * What a failed call says, for `error: <this>`: the gateway's `message (code)`; for API Gateway's own answers
 * (`{"message": ...}` from IAM authorisation) or anything else, the message or text with the HTTP status.
 */
export function apiErrorMessage(response: ApiResponse): string {
  const parsed = errorResponseSchema.safeParse(response.body);
  if (parsed.success) {
    const { message, code, type } = parsed.data.error;
    return `${message} (${code ?? type})`;
  }
  const { body, status } = response;
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const message = record.message ?? record.Message;
    if (typeof message === 'string') return `${message} (HTTP ${status})`;
  }
  if (typeof body === 'string' && body.trim() !== '') {
    const text = body.trim().replace(/\s+/g, ' ');
    return `HTTP ${status}: ${text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text}`;
  }
  return `HTTP ${status}`;
}
