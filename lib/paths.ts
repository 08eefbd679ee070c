import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (holds package-lock.json, lambdas/ and gateway.config.json), whatever the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the Lambda handler of function `name` lives; it exports `handler`. */
export const handlerEntry = (name: string): string => join(REPO_ROOT, 'lambdas', 'handlers', `${name}.ts`);

/** The configuration file the app validates at synth and every bundle carries, unless GATEWAY_CONFIG names another. */
export const DEFAULT_CONFIG_FILE = join(REPO_ROOT, 'gateway.config.json');
