/** The CLI was called wrongly (unknown flag, missing argument, bad value): usage hint on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command could not be carried out (API error, gateway unreachable, no credentials): `error: …`, exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
