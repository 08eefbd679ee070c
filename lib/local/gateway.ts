import { resolve } from 'node:path';
import { loadConfigFile, setGatewayConfig } from '../../lambdas/config/load.js';
import type { GatewayConfig } from '../../lambdas/config/schema.js';
import { closeDynamo, dynamo } from '../../lambdas/store/client.js';
import { tables } from '../tables.js';
import { installAwsLambdaShim } from './awslambda-shim.js';
import { functionModules } from './functions.js';
import { startHttpServer, type Handlers } from './server.js';
import { ensureTables, startEmbeddedStore, type EmbeddedStore } from './store.js';

export interface LocalGatewayOptions {
  readonly port: number;
  readonly host: string;
  /** Where the embedded store keeps its data. */
  readonly dataDir: string;
  readonly configFile: string;
  /** Use this DynamoDB-compatible endpoint instead of starting an embedded store (e.g. a store shared by two gateways). */
  readonly dynamoEndpoint?: string;
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  readonly config: GatewayConfig;
  readonly createdTables: readonly string[];
  /** The DynamoDB endpoint in use, and whether it is the embedded store. */
  readonly store: { readonly endpoint: string; readonly embedded: boolean };
  /** Stop accepting, let in-flight requests finish (bounded), close the store. */
  stop(graceMs?: number): Promise<void>;
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
  const config = loadConfigFile(resolve(options.configFile));
  setGatewayConfig(config);
  installAwsLambdaShim();

  let store: EmbeddedStore | undefined;
  const endpoint = options.dynamoEndpoint ?? (store = await startEmbeddedStore(resolve(options.dataDir))).endpoint;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  delete process.env.PROVIDER_SECRET_ARN;
  closeDynamo();
  try {
    const createdTables = await ensureTables(dynamo(), tables);
    const http = await startHttpServer({ handlers: await loadHandlers(), port: options.port, host: options.host });
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
      url: `http://${host}:${http.port}`,
      port: http.port,
      config,
      createdTables,
      store: { endpoint, embedded: store !== undefined },
      stop: async (graceMs) => {
        await http.stop(graceMs);
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
