import { ConfigError } from '../lambdas/config/load.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import { BOOKING_MARGIN_MS } from '../lambdas/runtime/deadline.js';
import { functionSpecs } from './function-specs.js';

const FIELDS = ['requestMs', 'connectMs', 'firstByteMs', 'idleMs'] as const;

/**
 * What in `config` cannot fit the chat function's timeout: every alias's timeouts must end BOOKING_MARGIN_MS before
 * the function does, so a request its deadline cuts still gets its error event, its ledger record and its quota
 * settle (lambdas/runtime/deadline.ts clamps the deadline at run time too; this refuses a configuration that
 * promises more than the function can hold). One line per alias and field, named by its path in the configuration.
 */
export function deadlineProblems(
  config: GatewayConfig,
  timeoutMs = functionSpecs.chat.timeout?.toMilliseconds() ?? 10_000,
): string[] {
  const budget = timeoutMs - BOOKING_MARGIN_MS;
  const problems: string[] = [];
  for (const [alias, model] of Object.entries(config.models)) {
    for (const field of FIELDS) {
      const value = model.timeouts[field];
      if (value > budget) {
        problems.push(
          `models.${alias}.timeouts.${field}: ${value} ms cannot fit the chat function's timeout of ${timeoutMs} ms ` +
            `(at most ${budget} ms: ${BOOKING_MARGIN_MS} ms are kept to book a request its deadline cut)`,
        );
      }
    }
  }
  return problems;
}

/** Refuses (ConfigError, read from `configFile`) a configuration whose deadlines cannot fit the chat function. */
export function assertDeadlinesFit(config: GatewayConfig, configFile: string): void {
  const problems = deadlineProblems(config);
  if (problems.length > 0) throw new ConfigError(configFile, problems);
}
