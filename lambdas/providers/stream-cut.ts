import { GatewayError } from '../core/errors.js';

/**
 * A stream that ended cleanly but too early: the upstream closed it before its last event (OpenAI: no finish_reason;
 * Anthropic: no message_stop). The answer is incomplete, so it is a failure, never a clean end.
 */
export const streamTruncated = (provider: string): GatewayError =>
  new GatewayError({
    message: `Provider ${provider} ended the stream before the answer was complete.`,
    code: 'upstream_stream_truncated',
  });
