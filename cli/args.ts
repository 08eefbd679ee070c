import { parseArgs } from 'node:util';
import {
  createKeyRequestSchema,
  rotateKeyRequestSchema,
  tenantSchema,
  type CreateKeyRequest,
} from '../lambdas/api/key-schemas.js';
import { isDay } from '../lambdas/ledger/usage-range.js';
import { parseExpiry, parseGrace } from './duration.js';
import { UsageError } from './errors.js';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'create'; readonly request: CreateKeyRequest }
  | { readonly kind: 'list'; readonly tenant?: string }
  | { readonly kind: 'get' | 'revoke'; readonly id: string }
  | { readonly kind: 'rotate'; readonly id: string; readonly graceSeconds?: number }
  | { readonly kind: 'usage'; readonly query: UsageQuery; readonly by: UsageBreakdown; readonly format: UsageFormat };

/** The query of `usage`: GET /admin/usage's parameters. */
export interface UsageQuery {
  readonly tenant?: string;
  readonly from?: string;
  readonly to?: string;
  /** rows: each tenant, key, alias and day (the CSV). */
  readonly detail?: 'rows';
}

/** How `usage` prints: a table, or CSV rows. */
export type UsageFormat = 'table' | 'csv';

/** What the rows of the usage table are. */
export const USAGE_BREAKDOWNS = ['day', 'model', 'key', 'tenant', 'plan'] as const;
export type UsageBreakdown = (typeof USAGE_BREAKDOWNS)[number];

export interface Invocation {
  readonly command: Command;
  /** --url; the caller falls back to GATEWAY_URL and the local default. */
  readonly url?: string;
  readonly aws: boolean;
  readonly json: boolean;
}

const OPTIONS = {
  url: { type: 'string' },
  aws: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  tenant: { type: 'string' },
  name: { type: 'string' },
  plan: { type: 'string' },
  models: { type: 'string' },
  scopes: { type: 'string' },
  expires: { type: 'string' },
  grace: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  by: { type: 'string' },
  format: { type: 'string' },
  label: { type: 'string', multiple: true },
} as const;
type OptionName = keyof typeof OPTIONS;

const GLOBAL: readonly OptionName[] = ['url', 'aws', 'json', 'help'];
const USAGE_OPTIONS: readonly OptionName[] = ['tenant', 'from', 'to', 'by', 'format'];
const ALLOWED: Readonly<Record<Exclude<Command['kind'], 'help' | 'usage'>, readonly OptionName[]>> = {
  create: ['tenant', 'name', 'plan', 'models', 'scopes', 'expires', 'label'],
  list: ['tenant'],
  get: [],
  revoke: [],
  rotate: ['grace'],
};
/** The flag behind each field of a create request, for validation messages. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = { expiresAt: 'expires', labels: 'label' };

const isAction = (word: string): word is keyof typeof ALLOWED => Object.hasOwn(ALLOWED, word);

/** `a,b, c` → ['a', 'b', 'c']. */
const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
  } catch (err) {
    // node:util names the flag and the problem (unknown option, missing value).
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Reads the command line (without `node` and the script). Throws UsageError on anything it does not understand. */
export function parseCommandLine(argv: readonly string[], now: Date): Invocation {
  const { values, positionals, tokens } = parse(argv);
  const globals = {
    ...(values.url === undefined ? {} : { url: values.url }),
    aws: values.aws ?? false,
    json: values.json ?? false,
  };
  const [group, action, ...rest] = positionals;

  if (values.help || group === 'help' || ((group === 'keys' || group === 'usage') && action === 'help')) {
    // `keys create … --help`: the flags must still be ones the command takes.
    if (group === 'usage') onlyOptions(tokens, USAGE_OPTIONS, 'usage');
    if (group === 'keys' && action !== undefined && isAction(action))
      onlyOptions(tokens, ALLOWED[action], `keys ${action}`);
    return { command: { kind: 'help' }, ...globals };
  }
  if (group === undefined) throw new UsageError('missing command');
  if (group === 'usage') {
    onlyOptions(tokens, USAGE_OPTIONS, 'usage');
    if (action !== undefined) throw new UsageError(`unexpected argument "${action}" for "usage"`);
    return { command: usageCommand(values), ...globals };
  }
  if (group !== 'keys') throw new UsageError(`unknown command "${group}"`);
  if (action === undefined) throw new UsageError('missing keys command: create, list, get, revoke or rotate');
  if (!isAction(action)) throw new UsageError(`unknown keys command "${action}"`);
  onlyOptions(tokens, ALLOWED[action], `keys ${action}`);

  if (action === 'create' || action === 'list') {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" for "keys ${action}"`);
    if (action === 'list')
      return {
        command: { kind: 'list', ...(values.tenant === undefined ? {} : { tenant: values.tenant }) },
        ...globals,
      };
    return { command: { kind: 'create', request: createRequest(values, now) }, ...globals };
  }

  const [id, ...extra] = rest;
  if (id === undefined || id === '') throw new UsageError(`"keys ${action}" needs the key ID`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" for "keys ${action}"`);
  if (action !== 'rotate') return { command: { kind: action, id }, ...globals };
  const body = rotateKeyRequestSchema.safeParse(
    values.grace === undefined ? {} : { graceSeconds: parseGrace(values.grace) },
  );
  if (!body.success) throw new UsageError(`--grace: ${body.error.issues[0]?.message ?? 'invalid'}`);
  return {
    command: {
      kind: 'rotate',
      id,
      ...(body.data.graceSeconds === undefined ? {} : { graceSeconds: body.data.graceSeconds }),
    },
    ...globals,
  };
}

type Values = ReturnType<typeof parse>['values'];
type Tokens = ReturnType<typeof parse>['tokens'];

/** Refuses any option but the global ones and `options`. */
function onlyOptions(tokens: Tokens, options: readonly OptionName[], command: string): void {
  const allowed = new Set<string>([...GLOBAL, ...options]);
  for (const token of tokens) {
    if (token.kind === 'option' && !allowed.has(token.name))
      throw new UsageError(`option ${token.rawName} does not apply to "${command}"`);
  }
}

const isBreakdown = (word: string): word is UsageBreakdown => (USAGE_BREAKDOWNS as readonly string[]).includes(word);

/** `usage`: dates and tenant checked before anything is sent; rows by tenant across tenants, by day for one tenant. */
function usageCommand(values: Values): Command {
  const { tenant, from, to, by, format } = values;
  if (tenant !== undefined) {
    const parsed = tenantSchema.safeParse(tenant);
    if (!parsed.success) throw new UsageError(`--tenant: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  for (const [flag, day] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (day !== undefined && !isDay(day)) throw new UsageError(`--${flag}: "${day}" is not a date (YYYY-MM-DD)`);
  }
  if (by !== undefined && !isBreakdown(by))
    throw new UsageError(`--by: "${by}" is not one of ${USAGE_BREAKDOWNS.join(', ')}`);
  if (format !== undefined && format !== 'table' && format !== 'csv')
    throw new UsageError(`--format: "${format}" is not one of table, csv`);
  const query: UsageQuery = {
    ...(tenant === undefined ? {} : { tenant }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(format === 'csv' ? { detail: 'rows' as const } : {}),
  };
  return { kind: 'usage', query, by: by ?? (tenant === undefined ? 'tenant' : 'day'), format: format ?? 'table' };
}

/** `--label name=value`, repeatable; the server's schema checks names, values and how many. */
function parseLabels(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--label: "${pair}" is not name=value`);
    const name = pair.slice(0, at);
    if (Object.hasOwn(labels, name)) throw new UsageError(`--label: "${name}" given twice`);
    labels[name] = pair.slice(at + 1);
  }
  return labels;
}

function createRequest(values: Values, now: Date): CreateKeyRequest {
  if (values.tenant === undefined) throw new UsageError('"keys create" needs --tenant');
  const draft = {
    tenant: values.tenant,
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.plan === undefined ? {} : { plan: values.plan }),
    ...(values.models === undefined ? {} : { models: list(values.models) }),
    ...(values.scopes === undefined ? {} : { scopes: list(values.scopes) }),
    ...(values.expires === undefined ? {} : { expiresAt: parseExpiry(values.expires, now) }),
    ...(values.label === undefined ? {} : { labels: parseLabels(values.label) }),
  };
  const parsed = createKeyRequestSchema.safeParse(draft);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? 'request');
    return `--${FLAG_OF_FIELD[field] ?? field}: ${issue.message}`;
  });
  throw new UsageError(problems.join('; '));
}
