import { z } from 'zod';

/**
 * Per-plan observability: what the "request completed" log line may carry, and the evaluation hook's sampling.
 * Both are off when absent: no prompt or answer text in the logs, no evaluation events.
 */
export const loggingSchema = z
  .strictObject({
    prompts: z
      .boolean()
      .default(false)
      .describe(
        'Put the prompt (as sent upstream, after the plan\'s policies) and the answer into the "request completed" log line, ' +
          'redacted by every PII detector. Default false: no text in the logs',
      ),
  })
  .describe('What the per-request log line of this plan may carry');

export const evaluationSchema = z
  .strictObject({
    sampleRate: z
      .number()
      .min(0)
      .max(1)
      .describe('Fraction of the completed requests that produce an evaluation event: 0 none, 1 every one'),
    includeText: z
      .boolean()
      .default(false)
      .describe(
        'Add the prompt and the answer to the event, redacted by every PII detector as for `logging.prompts`. Default false',
      ),
    timeoutMs: z
      .int()
      .min(10)
      .max(5_000)
      .default(1_000)
      .describe(
        'Longest the hook may hold up the answer; a slower or failing hook is logged and counted (HookFailures), never fails the request',
      ),
  })
  .describe(
    "Evaluation hooks: one event per completed request (sampled), after its ledger write, to the stack's EventBridge bus " +
      '(AWS) or a JSONL file (locally)',
  );

export type LoggingConfig = z.output<typeof loggingSchema>;
export type EvaluationConfig = z.output<typeof evaluationSchema>;
