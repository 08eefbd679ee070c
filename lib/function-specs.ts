import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { FunctionName } from '../lambdas/api/routes.js';
import { DEFAULT_CHAT_MEMORY_MB } from '../lambdas/config/functions-schema.js';

/** A file copied into a function's bundle: `from` on the build host, `to` relative to the bundle root. */
export interface BundledFile {
  readonly from: string;
  readonly to: string;
}

/** Item-level DynamoDB actions a function may be granted on the gateway table (nothing table-wide, no Scan). */
export type ItemAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem';

/** What a function may do on the gateway table. Any access also puts the table's name in GATEWAY_TABLE. */
export interface TableAccess {
  /** DescribeTable (the readiness check). */
  readonly describe?: boolean;
  /** Item actions, on the table itself. */
  readonly items?: readonly ItemAction[];
  /**
   * Item actions on only the items whose partition key starts with one of `prefixes` (an IAM condition on
   * dynamodb:LeadingKeys, e.g. `REQ#`: the ledger's request records and nothing else).
   */
  readonly itemsUnder?: { readonly prefixes: readonly string[]; readonly actions: readonly ItemAction[] };
  /**
   * Query on the table and on each of its global secondary indexes (`true`), or on the table and the indexes named;
   * indexes are named one by one, never `index/*`.
   */
  readonly query?: boolean | { readonly indexes: readonly string[] };
}

/**
 * What one Lambda function may touch and carries besides its code. Least privilege is decided here, per function,
 * and nowhere else: the stack turns these fields into IAM statements and environment variables.
 */
export interface FunctionSpec {
  readonly table: 'none' | TableAccess;
  /** Reads the provider-key secret (GetSecretValue). */
  readonly providerSecret: 'none' | 'read';
  /**
   * `manage`: creates API Gateway API keys (one per tenant and plan), associates them with the usage plans of the
   * configuration and deletes keys it just created (a lost creation race); learns the plans' usage-plan ids from
   * USAGE_PLAN_IDS, a JSON object `{"<plan>": "<usage plan id>"}`.
   */
  readonly usagePlans?: 'none' | 'manage';
  /**
   * `invoke`: calls Bedrock: InvokeModel and InvokeModelWithResponseStream on exactly the models and inference profiles
   * the configuration's Bedrock targets name, ApplyGuardrail on their guardrails (lib/bedrock-access.ts); nothing when
   * no target is on Bedrock.
   */
  readonly bedrock?: 'none' | 'invoke';
  /** `put`: PutEvents on the stack's evaluation bus (and no other), whose name it learns from EVALUATION_BUS_NAME. */
  readonly evaluationEvents?: 'none' | 'put';
  readonly files?: readonly BundledFile[];
  readonly environment?: Readonly<Record<string, string>>;
  /** MB; defaults to 256. */
  readonly memorySize?: number;
  /** Defaults to 10 seconds (buffered integrations are cut by API Gateway at 29 s anyway). */
  readonly timeout?: Duration;
}

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_DIR = 'swagger-ui';

/** Typed over every FunctionName, so a new function cannot deploy without a decision here. */
export const functionSpecs: { readonly [F in FunctionName]: FunctionSpec } = {
  health: { table: { describe: true }, providerSecret: 'read' },
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
  // Looks a key up by its hash and stamps lastUsedAt on it.
  authorizer: { table: { items: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] }, providerSecret: 'none' },
  // Key administration: writes keys, lists them through the GSIs, and manages the usage-plan API keys.
  admin: {
    table: { items: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], query: true },
    providerSecret: 'none',
    usagePlans: 'manage',
  },
  // Scheduled: lists the keys (gsi2) to find the quota items, reads them and releases expired reservations.
  sweeper: {
    table: { items: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], query: { indexes: ['gsi2'] } },
    providerSecret: 'none',
  },
  // Fed by the table's stream (lib/ledger-stream.ts: request records): reads and writes its per-shard marker (AGG#), the
  // usage counters (USAGE#) and the quota items (QUOTA#) in transactions (authorized as their Put and Update items),
  // nothing else; reads quota items to tell which reservations were released.
  'ledger-aggregator': {
    table: {
      itemsUnder: {
        prefixes: ['AGG#', 'USAGE#', 'QUOTA#'],
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      },
    },
    providerSecret: 'none',
  },
  // Reads usage: the ledger's counters of a tenant (Query on the table) and, for every tenant, the key listing (Query
  // on gsi2). Feedback: reads request records and sets their `feedback` (GetItem, UpdateItem), only on items whose
  // partition key is a request record's (REQ#…): no key, quota or counter item. Reads no secret.
  usage: {
    table: {
      query: { indexes: ['gsi2'] },
      itemsUnder: { prefixes: ['REQ#'], actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
    },
    providerSecret: 'none',
  },
  // Calls the providers with the keys of the provider secret and streams their answers (STREAMING_FUNCTIONS): up to
  // 5 minutes per request, within the 15 minutes a streamed response may last; memory from `functions.chatMemoryMb`
  // (default DEFAULT_CHAT_MEMORY_MB, chosen from the bench's measured peak RSS: docs/PERFORMANCE.md, "Memory"). On the
  // table: quota reservations (UpdateItem, GetItem after a refusal), the ledger's request records (one conditional
  // PutItem per booking), Idempotency-Key records (Put/Get/Update/Delete).
  // Sends the sampled evaluation events to the stack's bus. Calls the configured Bedrock models with its own role (chat,
  // messages, responses, embeddings and count_tokens all run here).
  chat: {
    table: { items: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] },
    providerSecret: 'read',
    bedrock: 'invoke',
    evaluationEvents: 'put',
    memorySize: DEFAULT_CHAT_MEMORY_MB,
    timeout: Duration.minutes(5),
  },
};

/**
 * The ledger-rebook function (lib/ledger-rebook.ts), outside the route table: writes deferred bookings as the chat
 * function writes them (TransactWriteItems, authorized as its Put and Update items). No secret, no bus.
 */
export const ledgerRebookSpec: FunctionSpec = {
  table: { items: ['dynamodb:PutItem', 'dynamodb:UpdateItem'] },
  providerSecret: 'none',
  timeout: Duration.seconds(30),
};
