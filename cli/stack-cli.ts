import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { awsSender, type AwsSend } from './aws-call.js';
import { CliError, UsageError } from './errors.js';
import type { Redactor } from './redact.js';
import type { CredentialsProvider } from './sigv4.js';
import { describeStackOutputs, envFile, type StackOutput } from './stack-outputs.js';
import { STACK_TAG } from '../lambdas/keys/stack-tag.js';
import { deleteApiKeys, mergeKeys, taggedApiKeysOf, usagePlanKeysOf, type UsagePlanKey } from './usage-plan-keys.js';
import { USAGE } from './usage.js';

/** The commands about a deployed stack itself (not its admin API): they call CloudFormation and API Gateway. */
export const STACK_GROUPS = ['stack', 'usage-plan-keys'] as const;
export const isStackCommand = (group: string | undefined): boolean =>
  (STACK_GROUPS as readonly string[]).includes(group ?? '');

export interface StackIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly redactor: Redactor;
  readonly fetch: typeof fetch;
  readonly credentials?: CredentialsProvider;
}

/** The default stack name of bin/app.ts (lib/deploy-settings.ts), unless --stack or GATEWAY_STACK_NAME says. */
const DEFAULT_STACK = 'LlmGateway';

const OPTIONS = {
  stack: { type: 'string' },
  region: { type: 'string' },
  'env-file': { type: 'string' },
  yes: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

const table = (rows: readonly (readonly [string, string])[]): string => {
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
};

/**
 * `stack outputs`, `usage-plan-keys list` and `usage-plan-keys delete --yes`; resolves to what to print (with --help:
 * the usage text, once the command and its flags are known to be valid).
 */
export async function runStackCommand(argv: readonly string[], io: StackIo): Promise<string> {
  const { values, positionals } = parse(argv);
  const [group, action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const command = `${group} ${action ?? ''}`.trim();
  const known = ['stack outputs', 'usage-plan-keys list', 'usage-plan-keys delete'];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}": ${known.join(', ')}`);
  if (values['env-file'] !== undefined && command !== 'stack outputs')
    throw new UsageError(`option --env-file does not apply to "${command}"`);
  if (values.yes !== undefined && command !== 'usage-plan-keys delete')
    throw new UsageError(`option --yes does not apply to "${command}"`);
  // --help: the command and its flags are checked above, nothing is called.
  if (values.help) return USAGE;
  const region = values.region ?? (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION);
  if (!region) throw new UsageError('set --region or AWS_REGION to the region of the stack');
  const stackName = values.stack ?? (io.env.GATEWAY_STACK_NAME || DEFAULT_STACK);
  const send = awsSender({
    region,
    env: io.env,
    redactor: io.redactor,
    fetch: io.fetch,
    ...(io.credentials === undefined ? {} : { credentials: io.credentials }),
  });
  if (command !== 'stack outputs') {
    // The keys outlive the stack (cdk destroy leaves them): a stack that is gone still has its tagged keys.
    const outputs = await describeStackOutputs(send, stackName).catch((err: unknown) => {
      if (err instanceof CliError && err.message.includes('does not exist')) return undefined;
      throw err;
    });
    return usagePlanKeys(send, stackName, outputs, action === 'delete', values.yes ?? false, values.json ?? false);
  }
  const outputs = await describeStackOutputs(send, stackName);
  const file = values['env-file'];
  if (file !== undefined) {
    await writeFile(resolve(io.cwd, file), envFile(stackName, region, outputs), { mode: 0o600 });
    return `Wrote ${outputs.length} outputs of ${stackName} (${region}) to ${file}\n`;
  }
  if (values.json) return `${JSON.stringify(Object.fromEntries(outputs.map((o) => [o.key, o.value])), null, 2)}\n`;
  return `${table(outputs.map((o) => [o.key, o.value] as const))}\n`;
}

/**
 * The stack's API keys: those in the usage plans of its REST API (while it exists) and those tagged with its name
 * (`llm-gateway:stack`, also after `cdk destroy`); listed, or deleted with --yes.
 */
async function usagePlanKeys(
  send: AwsSend,
  stackName: string,
  outputs: readonly StackOutput[] | undefined,
  remove: boolean,
  confirmed: boolean,
  json: boolean,
): Promise<string> {
  let inPlans: UsagePlanKey[] = [];
  if (outputs !== undefined) {
    const restApiId = outputs.find((output) => output.key === 'RestApiId')?.value;
    if (restApiId === undefined)
      throw new UsageError(`stack ${stackName} has no RestApiId output: deploy this version`);
    inPlans = await usagePlanKeysOf(send, restApiId);
  }
  const keys = mergeKeys(inPlans, await taggedApiKeysOf(send, stackName));
  if (json && !remove) return `${JSON.stringify(keys, null, 2)}\n`;
  const where =
    outputs === undefined
      ? `tagged ${STACK_TAG}=${stackName} (the stack is gone)`
      : `in the usage plans of ${stackName} or tagged with it`;
  const listing = keys.map((key) => `  ${key.id}  ${key.name}  (${key.usagePlan || 'tagged'})`).join('\n');
  if (!remove) return `${keys.length} API keys ${where}${keys.length > 0 ? `:\n${listing}` : ''}\n`;
  if (!confirmed) {
    throw new UsageError(
      `"usage-plan-keys delete" deletes the ${keys.length} API keys ${where}; ` +
        'their tenants are throttled by no usage plan until a key is created again. Add --yes to delete them',
    );
  }
  await deleteApiKeys(send, keys);
  return `Deleted ${keys.length} API keys of ${stackName}${keys.length > 0 ? `:\n${listing}` : ''}\n`;
}
