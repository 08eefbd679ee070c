import { z } from 'zod';

// The thresholds of the stack's CloudWatch alarms (lib/gateway-alarms.ts), read at synth only.

export const DEFAULT_ERROR_RATE_PERCENT = 5;

export const alarmsSchema = z
  .strictObject({
    errorRatePercent: z
      .number()
      .gt(0)
      .max(100)
      .default(DEFAULT_ERROR_RATE_PERCENT)
      .describe(
        'Alarm when more than this percentage of chat requests fail (Errors: a 5xx or a stream that failed; 4xx are ' +
          'not errors) over 5 minutes',
      ),
    hourlyCostUsd: z
      .number()
      .positive()
      .max(1_000_000)
      .optional()
      .describe(
        'Budget burn: alarm when the cost of one hour (CostUSD, so only calls whose model has a price) exceeds this ' +
          'many USD. No budget-burn alarm without it',
      ),
    email: z
      .email()
      .optional()
      .describe('Subscribe this address to the alarm topic (AWS sends a confirmation mail first)'),
  })
  .describe(
    'CloudWatch alarms of the deployed stack, notifying one encrypted SNS topic. Without this object: the error-rate ' +
      'alarm at its default, no budget-burn alarm, no subscription',
  );

export type AlarmsConfig = z.output<typeof alarmsSchema>;
