import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';

/** A configuration for key tests: two aliases, a tight plan, a quota plan, and the authorizer cache TTL asked for. */
export function writeKeyTestConfig(dir: string, cacheTtlSeconds: number): string {
  const file = join(dir, 'gateway.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      providers: { echo: { type: 'echo' } },
      models: {
        demo: { targets: [{ provider: 'echo', model: 'echo-1' }] },
        other: { targets: [{ provider: 'echo', model: 'echo-2' }] },
      },
      plans: {
        default: { rateLimit: 1000, burstLimit: 1000 },
        tight: { rateLimit: 1, burstLimit: 3 },
        metered: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 5, period: 'DAY' } },
      },
      auth: { cacheTtlSeconds, defaultPlan: 'default', rotationGraceSeconds: 3600 },
    }),
  );
  return file;
}

/**
 * A local gateway on a free port with the key test configuration, its data in `dir`: the authorizer cache off unless
 * `cacheTtlSeconds` says otherwise, on the real clock unless `now` is given.
 */
export const startKeyTestGateway = (
  dir: string,
  adminKey: string,
  options: { cacheTtlSeconds?: number; now?: () => number } = {},
): Promise<LocalGateway> =>
  startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    configFile: writeKeyTestConfig(dir, options.cacheTtlSeconds ?? 0),
    adminKey,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
