import { badRequest } from '../../core/errors.js';
import { header } from '../../core/http.js';

/** A beta token as Anthropic names them (`context-management-2025-06-27`); at most MAX_BETAS of them. */
const BETA = /^[a-z0-9-]{1,64}$/i;
export const MAX_BETAS = 32;

/**
 * The client's `anthropic-beta` header on /v1/messages: a comma-separated list of beta tokens, carried with the
 * request to Anthropic targets (other targets ignore it). Blank entries are skipped and repeats sent once; anything
 * that is not a token, or more than MAX_BETAS of them, is a 400 `invalid_header` naming the header — never silently
 * half-sent.
 */
export function anthropicBetas(event: Parameters<typeof header>[0]): string[] {
  const value = header(event, 'anthropic-beta');
  if (value === undefined) return [];
  const tokens = [...new Set(value.split(',').map((token) => token.trim()))].filter((token) => token !== '');
  const bad = tokens.find((token) => !BETA.test(token));
  if (bad !== undefined) {
    throw badRequest(
      `anthropic-beta: ${JSON.stringify(bad.slice(0, 64))} is not a beta name (letters, digits and "-", at most 64).`,
      'invalid_header',
      'anthropic-beta',
    );
  }
  if (tokens.length > MAX_BETAS) {
    throw badRequest(`anthropic-beta names more than ${MAX_BETAS} betas.`, 'invalid_header', 'anthropic-beta');
  }
  return tokens;
}
