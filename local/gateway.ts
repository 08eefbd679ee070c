import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { logger } from '../lambdas/core/logger.js';
import { requestLog } from '../lambdas/core/request-log.js';
import { closeLedger, ledger } from '../lambdas/ledger/runtime.js';
import { loadConfigFile, setGatewayConfig } from '../lambdas/config/load.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import { closeUpstreamConnections } from '../lambdas/transport/node-fetch.js';
import { closeDynamo } from '../lambdas/store/client.js';
import { tables } from '../lambdas/store/tables.js';
import { KeyService } from '../lambdas/keys/key-service.js';
import { keyStore, usageKeys } from '../lambdas/keys/runtime.js';
import type { AuthorizerHandler } from './authorizer-emulation.js';
import { installAwsLambdaShim } from './awslambda-shim.js';
import { watchConfig } from './config-watch.js';
import { publishEndpoint } from './endpoint-file.js';
import { developmentKey, localAdminKey } from './bootstrap-keys.js';
import { LocalEdge } from './edge.js';
import { lambdaContext } from './lambda-context.js';
import { functionModules } from './functions.js';
import { startHttpServer, type Handlers } from './server.js';
import { ensureTablesAt, startEmbeddedStore, type EmbeddedStore } from './store.js';

/** The ledger's write-ahead journal, in the data directory. */
export const LEDGER_JOURNAL_FILE = 'ledger-journal.jsonl';

export interface LocalGatewayOptions {
  readonly port: number;
  readonly host: string;
  /** Where the embedded store keeps its data. */
  readonly dataDir: string;
  readonly configFile: string;
  /** Use this DynamoDB-compatible endpoint instead of starting an embedded store (e.g. a store shared by two gateways). */
  readonly dynamoEndpoint?: string;
  /** The admin key; else the one kept in the data directory, else a new one kept there. */
  readonly adminKey?: string;
  /** Clock of the authorizer cache and usage plans (tests). */
  readonly now?: () => number;
  /** How often the reservation sweeper runs (it also runs once at start); 0: only at start. Default 60 s. */
  readonly sweepIntervalMs?: number;
  /**
   * Book usage through a write-ahead journal in the data directory (`ledger-journal.jsonl`) instead of waiting for the
   * store's transaction (lambdas/ledger/ledger-journal.ts). `npm start` turns it on; off by default here, so tests
   * that read the store right after an answer see it.
   */
  readonly ledgerJournal?: boolean;
  /** Reload the configuration when its file changes (validated first; a bad file keeps the old one). Default on. */
  readonly watchConfig?: boolean;
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  /** The configuration in use (the latest valid one the file held). */
  readonly config: GatewayConfig;
  readonly createdTables: readonly string[];
  /** The DynamoDB endpoint in use, and whether it is the embedded store. */
  readonly store: { readonly endpoint: string; readonly embedded: boolean };
  readonly adminKey: { readonly key: string; readonly source: 'env' | 'file' | 'new' };
  /** The `dev` tenant's key, created on the first start with a data directory. */
  readonly devKey: { readonly key: string; readonly id: string; readonly created: boolean };
  /** Stop accepting, let in-flight requests finish (bounded), close the store. */
  stop(graceMs?: number): Promise<void>;
}

type SweepHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The scheduled sweeper of the stack (an EventBridge rule each minute), as a timer: the same Middy handler, run at
 * start (a restart after a crash releases what has expired since) and every `intervalMs`. Runs never overlap; a
 * failed run is logged and the next one tries again.
 */
function startSweeper(handler: SweepHandler, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    const context = lambdaContext('sweeper', 60_000);
    running = running
      .then(() => handler({}, context))
      .then(
        () => undefined,
        (err: unknown) =>
          requestLog(context.awsRequestId, context.awsRequestId).warn('reservation sweep failed', {
            error: err instanceof Error ? err.message : String(err),
          }),
      );
  };
  run();
  const timer = intervalMs > 0 ? setInterval(run, intervalMs) : undefined;
  timer?.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** One after another: the modules share dependencies, and Jest's ESM loader races on parallel imports of them. */
async function loadHandlers(): Promise<Handlers> {
  const handlers: Record<string, unknown> = {};
  for (const [name, load] of Object.entries(functionModules)) handlers[name] = (await load()).handler;
  return handlers;
}

/**
 * The whole gateway on one machine: configuration validated first (a ConfigError stops the start), then the
 * store, the tables, and the HTTP server running the same Middy handlers as the Lambda functions.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const configFile = resolve(options.configFile);
  const config = loadConfigFile(configFile);
  setGatewayConfig(config);
  let current = config;
  installAwsLambdaShim();

  let store: EmbeddedStore | undefined;
  const endpoint = options.dynamoEndpoint ?? (store = await startEmbeddedStore(resolve(options.dataDir))).endpoint;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  delete process.env.PROVIDER_SECRET_ARN;
  closeDynamo();
  try {
    const createdTables = await ensureTablesAt(endpoint, tables);
    const adminKey = localAdminKey(resolve(options.dataDir), options.adminKey);
    const devKey = await developmentKey(
      resolve(options.dataDir),
      new KeyService({ store: keyStore(), usageKeys: usageKeys(), config }),
    );
    if (options.ledgerJournal === true)
      process.env.GATEWAY_LEDGER_JOURNAL = join(resolve(options.dataDir), LEDGER_JOURNAL_FILE);
    else delete process.env.GATEWAY_LEDGER_JOURNAL;
    // Opens the journal (if any) before serving: what a previous run left in it is booked first.
    await ledger();
    const handlers = await loadHandlers();
    const edge = new LocalEdge({
      config,
      authorizer: handlers.authorizer as AuthorizerHandler,
      adminKey: adminKey.key,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    const http = await startHttpServer({ handlers, port: options.port, host: options.host, edge });
    const sweeper = startSweeper(handlers.sweeper as SweepHandler, options.sweepIntervalMs ?? 60_000);
    // The functions' configuration is replaced; what API Gateway holds (usage-plan throttles, CORS, the
    // authorizer cache's TTL) is set at start, as a deploy sets it in AWS.
    const watcher =
      options.watchConfig === false
        ? undefined
        : watchConfig(configFile, readFileSync(configFile, 'utf8'), {
            reloaded: (next) => {
              current = next;
              setGatewayConfig(next);
              logger.info('configuration reloaded', { file: configFile, aliases: Object.keys(next.models) });
            },
            rejected: (reason) =>
              logger.warn(`configuration change ignored, the previous one stays: ${reason}`, { file: configFile }),
          });
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const url = `http://${host}:${http.port}`;
    // The CLI finds the gateway by this file (cli/local-discovery.ts), whatever the port.
    const unpublish = publishEndpoint(resolve(options.dataDir), url, http.port);
    return {
      url,
      port: http.port,
      get config() {
        return current;
      },
      createdTables,
      store: { endpoint, embedded: store !== undefined },
      adminKey,
      devKey,
      stop: async (graceMs) => {
        unpublish();
        watcher?.close();
        await sweeper.stop();
        await http.stop(graceMs);
        await closeLedger();
        closeUpstreamConnections();
        closeDynamo();
        await store?.close();
      },
    };
  } catch (err) {
    closeDynamo();
    await store?.close();
    throw err;
  }
}
