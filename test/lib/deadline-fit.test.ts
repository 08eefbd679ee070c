import { App } from 'aws-cdk-lib';
import { ConfigError, parseConfig } from '../../lambdas/config/load.js';
import { BOOKING_MARGIN_MS } from '../../lambdas/runtime/deadline.js';
import { deadlineProblems } from '../../lib/deadline-fit.js';
import { GatewayStack } from '../../lib/gateway-stack.js';

// The chat function has 300 s (lib/function-specs.ts); the configuration allows deadlines up to 900 s. A deadline
// that cannot end BOOKING_MARGIN_MS before the function does is refused when the stack is built (cdk synth), with the
// alias and field named, rather than deployed to be killed mid-request with no error event and no ledger record.
const configText = (timeouts: Record<string, number>): string =>
  JSON.stringify({
    providers: { p: { type: 'echo' } },
    models: {
      short: { targets: [{ provider: 'p', model: 'm' }] },
      long: { targets: [{ provider: 'p', model: 'm' }], timeouts },
    },
  });

const synth = (text: string): GatewayStack =>
  new GatewayStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'DeadlineGateway', {
    config: parseConfig(text, 'gateway.config.json'),
    configFile: 'gateway.config.json',
  });

describe('deadlines that cannot fit the chat function', () => {
  it('refuses requestMs past the function timeout less the margin at synth, naming the alias and field', () => {
    const build = () => synth(configText({ requestMs: 600_000 }));
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      /models\.long\.timeouts\.requestMs: 600000 ms cannot fit the chat function's timeout of 300000 ms/,
    );
  });

  it('names every field that cannot fit (idleMs, firstByteMs too), and only those', () => {
    const problems = deadlineProblems(
      parseConfig(configText({ requestMs: 120_000, idleMs: 900_000, firstByteMs: 300_000 }), 'c.json'),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'models.long.timeouts.firstByteMs',
      'models.long.timeouts.idleMs',
    ]);
  });

  it('accepts deadlines up to the timeout less the margin (and the defaults)', () => {
    expect(deadlineProblems(parseConfig(configText({ requestMs: 300_000 - BOOKING_MARGIN_MS }), 'c.json'))).toEqual([]);
    expect(() => synth(configText({ requestMs: 300_000 - BOOKING_MARGIN_MS }))).not.toThrow();
  });
});
