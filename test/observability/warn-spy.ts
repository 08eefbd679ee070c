import { logger } from '../../lambdas/core/logger.js';

export interface WarnSpy {
  /** Each warning: its message and the attributes passed with it. */
  readonly warnings: { readonly message: unknown; readonly attributes: unknown }[];
  stop(): void;
}

/** Records the root logger's warnings (the gateway's metrics code reports its failures there); stop() restores it. */
export function spyOnWarnings(): WarnSpy {
  const own = Object.getOwnPropertyDescriptor(logger, 'warn');
  const spy: WarnSpy = {
    warnings: [],
    stop() {
      if (own === undefined) Reflect.deleteProperty(logger, 'warn');
      else Object.defineProperty(logger, 'warn', own);
    },
  };
  const warn = (message: unknown, attributes?: unknown): void => {
    spy.warnings.push({ message, attributes });
  };
  logger.warn = warn as typeof logger.warn;
  return spy;
}
