/**
 * `npm start`: the gateway on this machine, no AWS needed. PORT, HOST, GATEWAY_CONFIG, GATEWAY_DATA_DIR,
 * DYNAMODB_ENDPOINT (an external store instead of the embedded one) and GATEWAY_SWEEP_INTERVAL_MS (how often expired
 * quota reservations are released) override the defaults; GATEWAY_LEDGER_JOURNAL=off books usage straight into the
 * store instead of through the write-ahead journal. LOG_FORMAT=pretty|json picks the log form (default: pretty on a
 * terminal, JSON otherwise).
 */
import { configWarnings, warningLines } from '../lambdas/chat/alias-usability.js';
import { ConfigError, configPath } from '../lambdas/config/load.js';
import { providerKeySource } from '../lambdas/secrets/provider-keys.js';
import { batchOutput } from '../local/batched-stdout.js';
import { startLocalGateway } from '../local/gateway.js';
import { logFormatOf, noteInvocations, prettyText } from '../local/log-format.js';

// EMF metrics are CloudWatch's; locally they would only interleave with the logs. POWERTOOLS_METRICS_DISABLED=false
// shows them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

// One write per 25 ms instead of one per log line (local/batched-stdout.ts); GATEWAY_LOG_BATCH=off writes each. Standard
// error goes through the same queue, so an error line never overtakes an earlier info line; on a terminal (or with
// LOG_FORMAT=pretty) each JSON line becomes one readable line (local/log-format.ts).
const pretty = logFormatOf(process.env, process.stdout.isTTY === true) === 'pretty';
if (pretty) noteInvocations();
const output = batchOutput(process.stdout, {
  errors: process.stderr,
  ...(pretty ? { transform: prettyText } : {}),
  ...(process.env.GATEWAY_LOG_BATCH === 'off' ? { maxBytes: 0 } : {}),
});

const port = Number(process.env.PORT ?? 8001);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.GATEWAY_DATA_DIR ?? '.gateway-data';

try {
  const gateway = await startLocalGateway({
    port,
    host,
    dataDir,
    configFile: configPath(),
    ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    ...(process.env.GATEWAY_ADMIN_KEY ? { adminKey: process.env.GATEWAY_ADMIN_KEY } : {}),
    ...(process.env.GATEWAY_SWEEP_INTERVAL_MS
      ? { sweepIntervalMs: Number(process.env.GATEWAY_SWEEP_INTERVAL_MS) }
      : {}),
    // Usage is booked through a write-ahead journal in the data directory; GATEWAY_LEDGER_JOURNAL=off books it
    // straight into the store before each answer, as in AWS.
    ledgerJournal: process.env.GATEWAY_LEDGER_JOURNAL !== 'off',
  });
  const adminKeyLine = {
    env: 'from GATEWAY_ADMIN_KEY',
    file: `${gateway.adminKey.key}  (kept in ${dataDir}/local-admin-key)`,
    new: `${gateway.adminKey.key}  (generated; kept in ${dataDir}/local-admin-key)`,
  }[gateway.adminKey.source];
  const warnings = warningLines(configWarnings(gateway.config, await providerKeySource(gateway.config).keys()));
  process.stdout.write(
    [
      `LLM Gateway listening on ${gateway.url}`,
      `  health: ${gateway.url}/health/ready`,
      `  docs:   ${gateway.url}/docs`,
      `  store:  ${gateway.store.embedded ? `embedded at ${gateway.store.endpoint}, data in ${dataDir}` : gateway.store.endpoint}`,
      `  admin key: ${adminKeyLine}`,
      `  dev key (tenant "dev"${gateway.devKey.created ? ', created now' : ''}): ${gateway.devKey.key}`,
      ...(warnings.length === 0
        ? []
        : ['', 'Warnings (also on /health/ready):', ...warnings.map((line) => `  - ${line}`)]),
      '',
      `Try: curl ${gateway.url}/v1/models -H "Authorization: Bearer ${gateway.devKey.key}"`,
      '',
    ].join('\n'),
  );
  output.flush();
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests, then closing the store\n`);
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`LLM Gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
}
