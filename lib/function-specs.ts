import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FunctionName } from '../lambdas/api/routes.js';

/** A file copied into a function's bundle: `from` on the build host, `to` relative to the bundle root. */
export interface BundledFile {
  readonly from: string;
  readonly to: string;
}

/**
 * What one Lambda function may touch and carries besides its code. Least privilege is decided here, per function,
 * and nowhere else: the stack turns `table`/`providerSecret` into IAM statements and environment variables.
 */
export interface FunctionSpec {
  /** `describe`: DescribeTable only (the readiness check). Data access arrives with the functions that need it. */
  readonly table: 'none' | 'describe';
  /** Reads the provider-key secret (GetSecretValue). */
  readonly providerSecret: 'none' | 'read';
  readonly files?: readonly BundledFile[];
  readonly environment?: Readonly<Record<string, string>>;
}

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_DIR = 'swagger-ui';

/** Typed over every FunctionName, so a new function in the route table cannot deploy without a decision here. */
export const functionSpecs: { readonly [F in FunctionName]: FunctionSpec } = {
  health: { table: 'describe', providerSecret: 'read' },
  docs: {
    table: 'none',
    providerSecret: 'none',
    files: ['swagger-ui-bundle.js', 'swagger-ui.css'].map((file) => ({
      from: join(swaggerUiDist, file),
      to: `${SWAGGER_UI_DIR}/${file}`,
    })),
    environment: { SWAGGER_UI_DIR: `/var/task/${SWAGGER_UI_DIR}` },
  },
  fallback: { table: 'none', providerSecret: 'none' },
};
