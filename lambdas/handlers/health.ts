import { json } from '../core/http.js';
import { gatewayConfig } from '../config/current.js';
import type { CheckResult, ReadyResponse } from '../api/schemas.js';
import { providerKeySource, providersWithoutKey } from '../secrets/provider-keys.js';
import { pingStore } from '../store/ping.js';
import { configWarnings, noAliasWorks, warningLines } from '../chat/alias-usability.js';
import { gatewayFunction } from '../runtime/gateway-function.js';
import type { GatewayRequest } from '../runtime/types.js';

const ok = (detail?: string): CheckResult => (detail === undefined ? { status: 'ok' } : { status: 'ok', detail });
const fail = (detail: string): CheckResult => ({ status: 'fail', detail });
const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function ready(request: GatewayRequest) {
  const loaded = gatewayConfig();
  const config: CheckResult = loaded.ok ? ok() : fail(loaded.error.problems.join('; '));
  let warnings: string[] = [];
  let models: CheckResult = fail('not checked: the configuration is invalid');
  const [store, secrets] = await Promise.all([
    pingStore().then(
      () => ok(),
      (err: unknown) => fail(`store did not answer: ${reason(err)}`),
    ),
    loaded.ok
      ? providerKeySource(loaded.config)
          .keys()
          .then((keys) => {
            const missing = providersWithoutKey(loaded.config, keys);
            const found = configWarnings(loaded.config, keys);
            warnings = warningLines(found);
            models = noAliasWorks(loaded.config, found)
              ? fail('no alias can work: every target lacks its provider key')
              : ok();
            return ok(missing.length > 0 ? `no key configured for: ${missing.join(', ')}` : undefined);
          })
          .catch((err: unknown) => {
            models = fail('not checked: the provider keys cannot be read');
            return fail(reason(err));
          })
      : Promise.resolve(fail('not checked: the configuration is invalid')),
  ]);
  const checks = { config, store, secrets, models };
  const body: ReadyResponse = {
    status: Object.values(checks).every((check) => check.status === 'ok') ? 'ok' : 'fail',
    checks,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  if (body.status === 'fail') request.log.warn('not ready', { checks: body.checks });
  return json(body.status === 'ok' ? 200 : 503, body, { 'Cache-Control': 'no-store' });
}

export const handler = gatewayFunction({
  'GET /health/live': async () => json(200, { status: 'ok' }, { 'Cache-Control': 'no-store' }),
  'GET /health/ready': ready,
});
