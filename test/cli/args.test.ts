import { parseCommandLine } from '../../cli/args.js';
import { UsageError } from '../../cli/errors.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const parse = (...argv: string[]) => parseCommandLine(argv, NOW);

describe('parseCommandLine', () => {
  it('reads create with every option, flags before or after the command', () => {
    expect(
      parse(
        '--url',
        'http://gw:9',
        'keys',
        'create',
        '--tenant',
        'acme',
        '--name',
        'ci bot',
        '--plan',
        'pro',
        '--models',
        'a,,b ,',
        '--scopes',
        'usage:read',
        '--expires',
        '1d',
        '--json',
      ),
    ).toEqual({
      url: 'http://gw:9',
      aws: false,
      json: true,
      command: {
        kind: 'create',
        request: {
          tenant: 'acme',
          name: 'ci bot',
          plan: 'pro',
          models: ['a', 'b'],
          scopes: ['usage:read'],
          expiresAt: '2030-01-02T00:00:00.000Z',
        },
      },
    });
  });

  it('reads list, get, revoke and rotate', () => {
    expect(parse('keys', 'list').command).toEqual({ kind: 'list' });
    expect(parse('keys', 'list', '--tenant', 't1').command).toEqual({ kind: 'list', tenant: 't1' });
    expect(parse('keys', 'get', 'key_1').command).toEqual({ kind: 'get', id: 'key_1' });
    expect(parse('keys', 'revoke', 'key_1', '--aws')).toMatchObject({
      aws: true,
      command: { kind: 'revoke', id: 'key_1' },
    });
    expect(parse('keys', 'rotate', 'key_1').command).toEqual({ kind: 'rotate', id: 'key_1' });
    expect(parse('keys', 'rotate', 'key_1', '--grace', '2h').command).toEqual({
      kind: 'rotate',
      id: 'key_1',
      graceSeconds: 7_200,
    });
  });

  it.each([
    [['keys', 'create'], /needs --tenant/],
    [['keys', 'create', '--tenant', 'Acme Corp'], /^--tenant: /],
    [['keys', 'create', '--tenant', 'acme', '--scopes', 'admin'], /^--scopes: /],
    [['keys', 'create', '--tenant', 'acme', '--models', ','], /^--models: /],
    [['keys', 'create', '--tenant', 'acme', '--expires', 'later'], /^--expires: /],
    [['keys', 'rotate', 'key_1', '--grace', '31d'], /^--grace: /],
    [['keys', 'get'], /needs the key ID/],
    [['keys', 'list', 'extra'], /unexpected argument "extra"/],
    [['keys', 'get', '--expires', '1d', 'key_1'], /--expires does not apply to "keys get"/],
    [['keys', 'create', '--tenant', 'acme', '--nope'], /'--nope'/],
    [['keys'], /missing keys command/],
    [['keys', 'destroy'], /unknown keys command "destroy"/],
    [['users'], /unknown command "users"/],
    [['usage', '--from', '2026-02-30'], /^--from: "2026-02-30" is not a date/],
    [['usage', '--to', 'yesterday'], /^--to: /],
    [['usage', '--by', 'week'], /^--by: "week" is not one of day, model, key, tenant/],
    [['usage', '--tenant', 'Acme Corp'], /^--tenant: /],
    [['usage', 'acme'], /unexpected argument "acme" for "usage"/],
    [['usage', '--grace', '1h'], /--grace does not apply to "usage"/],
    [['keys', 'list', '--by', 'day'], /--by does not apply to "keys list"/],
  ])('%j is a usage error matching %s', (argv, message) => {
    let thrown: unknown;
    try {
      parseCommandLine(argv, NOW);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('reads usage: the query, and rows by tenant across tenants, by day for one', () => {
    expect(parse('usage')).toEqual({
      aws: false,
      json: false,
      command: { kind: 'usage', query: {}, by: 'tenant', format: 'table' },
    });
    expect(parse('usage', '--tenant', 'acme').command).toEqual({
      kind: 'usage',
      query: { tenant: 'acme' },
      by: 'day',
      format: 'table',
    });
    expect(parse('usage', '--from', '2029-12-01', '--to', '2029-12-31', '--by', 'model', '--json')).toEqual({
      aws: false,
      json: true,
      command: { kind: 'usage', query: { from: '2029-12-01', to: '2029-12-31' }, by: 'model', format: 'table' },
    });
  });

  it('help wins over everything else', () => {
    expect(parse('usage', '--help').command).toEqual({ kind: 'help' });
    expect(parse('keys', 'create', '--help').command).toEqual({ kind: 'help' });
    expect(parse('help').command).toEqual({ kind: 'help' });
    expect(parse('keys', 'help').command).toEqual({ kind: 'help' });
  });
});
