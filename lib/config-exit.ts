import { ConfigError } from '../lambdas/config/load.js';

/** Where the CDK app reports a configuration problem (injectable for tests). */
export interface ConfigExit {
  readonly error: (message: string) => void;
  readonly exit: (code: number) => never;
}

const processExit: ConfigExit = {
  error: (message) => console.error(message),
  exit: (code) => process.exit(code),
};

/**
 * Runs one step of `cdk synth` (loading the configuration file, building the stack: lib/deadline-fit.ts refuses
 * deadlines that cannot fit the function) so that a ConfigError ends synth with its message and exit code 1, no stack
 * trace: it is the user's configuration to fix, not a crash. Any other error is a bug and propagates as it is.
 */
export function orExitOnConfigError<T>(step: () => T, out: ConfigExit = processExit): T {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    out.error(err.message);
    return out.exit(1);
  }
}
