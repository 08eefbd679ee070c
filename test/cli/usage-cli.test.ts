import { adminUsageSchema, type AdminUsageView } from '../../lambdas/api/usage-schemas.js';
import { FakeAdminServer } from './fake-admin-server.js';
import { cli } from './run-cli.js';

// `llm-gateway usage` against a fake admin API: the request it sends, the table it prints, --json, failures.
const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const server = new FakeAdminServer();

const totals = (
  requests: number,
  costMicros: number,
  over: Partial<AdminUsageView['totals']> = {},
): AdminUsageView['totals'] => ({
  requests,
  input_tokens: requests * 1_000,
  output_tokens: requests * 10,
  cached_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: costMicros / 1e6,
  cost_micros: costMicros,
  estimated_requests: 0,
  unpriced_requests: 0,
  errors: 0,
  cache_hits: 0,
  cache_misses: 0,
  cache_hit_rate: 0,
  saved_usd: 0,
  saved_micros: 0,
  stored_responses: 0,
  stored_bytes: 0,
  stored_write_units: 0,
  stored_write_usd_estimate: 0,
  ...over,
});

const USAGE: AdminUsageView = {
  object: 'usage',
  from: '2030-01-01',
  to: '2030-01-31',
  totals: totals(1_250, 2_000_001, { unpriced_requests: 2, errors: 3 }),
  by_day: [
    { day: '2030-01-01', ...totals(250, 1) },
    { day: '2030-01-02', ...totals(1_000, 2_000_000, { unpriced_requests: 2, errors: 3 }) },
  ],
  by_model: [{ model: 'fast', ...totals(1_250, 2_000_001, { unpriced_requests: 2, errors: 3 }) }],
  by_key: [
    { key_id: 'key_0000000000000001', ...totals(250, 1) },
    { key_id: 'key_0000000000000002', ...totals(1_000, 2_000_000, { unpriced_requests: 2, errors: 3 }) },
  ],
  by_plan: [{ plan: 'default', ...totals(1_250, 2_000_001, { unpriced_requests: 2, errors: 3 }) }],
  tenants: [
    {
      tenant: 'acme',
      totals: totals(250, 1),
      by_day: [{ day: '2030-01-01', ...totals(250, 1) }],
      by_model: [{ model: 'fast', ...totals(250, 1) }],
      by_key: [{ key_id: 'key_0000000000000001', ...totals(250, 1) }],
      by_plan: [{ plan: 'default', ...totals(250, 1) }],
    },
    {
      tenant: 'globex-research',
      totals: totals(1_000, 2_000_000, { unpriced_requests: 2, errors: 3 }),
      by_day: [{ day: '2030-01-02', ...totals(1_000, 2_000_000) }],
      by_model: [{ model: 'fast', ...totals(1_000, 2_000_000) }],
      by_key: [{ key_id: 'key_0000000000000002', ...totals(1_000, 2_000_000, { unpriced_requests: 2, errors: 3 }) }],
      by_plan: [{ plan: 'default', ...totals(1_000, 2_000_000, { unpriced_requests: 2, errors: 3 }) }],
    },
  ],
};

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  server.responder = ({ url }) => (url.startsWith('/admin/usage') ? { status: 200, body: USAGE } : undefined);
});

const env = () => ({ GATEWAY_URL: server.url, GATEWAY_ADMIN_KEY: ADMIN_KEY });

it('the fixture is a valid answer', () => {
  expect(adminUsageSchema.parse(USAGE)).toEqual(USAGE);
});

it('GETs /admin/usage with the admin key and only the parameters given', async () => {
  await cli(['usage'], { env: env() });
  expect([server.last.method, server.last.url, server.last.headers.authorization]).toEqual([
    'GET',
    '/admin/usage',
    `Bearer ${ADMIN_KEY}`,
  ]);
  await cli(['usage', '--tenant', 'acme', '--from', '2030-01-01', '--to', '2030-01-31'], { env: env() });
  expect(server.last.url).toBe('/admin/usage?tenant=acme&from=2030-01-01&to=2030-01-31');
});

it('by tenant (the default): a title, aligned columns, a TOTAL line, costs in USD, a note on unpriced requests', async () => {
  const { code, stdout, stderr } = await cli(['usage'], { env: env() });
  expect([code, stderr]).toEqual([0, '']);
  expect(stdout).toBe(
    [
      'Usage of all tenants, 2030-01-01 to 2030-01-31 (UTC), by tenant:',
      '',
      'TENANT           REQUESTS      INPUT  OUTPUT  CACHED  CACHE WRITE  ERRORS  COST (USD)',
      'acme                  250    250,000   2,500       0            0       0    0.000001',
      'globex-research     1,000  1,000,000  10,000       0            0       3        2.00',
      'TOTAL               1,250  1,250,000  12,500       0            0       3    2.000001',
      '',
      '2 request(s) used a model without a price: they are not in the cost.',
      '',
    ].join('\n'),
  );
});

it.each([
  ['day', /^DAY +REQUESTS/m, /^2030-01-02 +1,000 +1,000,000 /m],
  ['model', /^MODEL +REQUESTS/m, /^fast +1,250 /m],
  ['key', /^KEY +TENANT +REQUESTS/m, /^key_0000000000000002 +globex-research +1,000 /m],
])('--by %s', async (by, header, row) => {
  const { stdout } = await cli(['usage', '--by', by], { env: env() });
  expect(stdout).toMatch(header);
  expect(stdout).toMatch(row);
  expect(stdout).toMatch(/^TOTAL +(?:1,250) /m);
});

it('a note on stored responses: their bytes and DynamoDB write units, estimated, not in the cost', async () => {
  const stored = {
    stored_responses: 3,
    stored_bytes: 5_120,
    stored_write_units: 6,
    stored_write_usd_estimate: 0.0000075,
  };
  server.responder = () => ({ status: 200, body: { ...USAGE, totals: { ...USAGE.totals, ...stored } } });
  const { stdout } = await cli(['usage'], { env: env() });
  expect(stdout).toContain(
    '3 stored response(s): 5,120 bytes, 6 DynamoDB write units (estimated: $1.25 per million writes, $0.25 per ' +
      'GB-month stored; not in the cost).',
  );
});

it('says so when there is no usage', async () => {
  const empty: AdminUsageView = { ...USAGE, totals: totals(0, 0), by_day: [], by_model: [], by_key: [], tenants: [] };
  server.responder = () => ({ status: 200, body: empty });
  const { code, stdout } = await cli(['usage', '--tenant', 'nobody'], { env: env() });
  expect(code).toBe(0);
  expect(stdout).toBe('Usage of tenant nobody, 2030-01-01 to 2030-01-31 (UTC): none.\n');
});

it('--json prints the API JSON as is', async () => {
  const { stdout } = await cli(['usage', '--json'], { env: env() });
  expect(stdout).toBe(`${JSON.stringify(USAGE, null, 2)}\n`);
});

it('an API error is printed with its code (exit 1); a bad date is refused before sending (exit 2)', async () => {
  server.responder = () => ({
    status: 400,
    body: {
      error: {
        message: 'from (2030-02-01) is after to (2030-01-01).',
        type: 'invalid_request_error',
        param: 'from',
        code: 'invalid_date_range',
      },
    },
  });
  const failed = await cli(['usage', '--from', '2030-02-01', '--to', '2030-01-01'], { env: env() });
  expect(failed).toMatchObject({
    code: 1,
    stderr: 'error: from (2030-02-01) is after to (2030-01-01). (invalid_date_range)\n',
  });
  server.requests.length = 0;
  const refused = await cli(['usage', '--from', '2030-1-1'], { env: env() });
  expect(refused.code).toBe(2);
  expect(server.requests).toHaveLength(0);
});

describe('--format csv', () => {
  const ROWS: AdminUsageView = {
    ...USAGE,
    rows: [
      {
        tenant: 'acme',
        key_id: 'key_0000000000000001',
        model: 'fast',
        upstream_model: 'gpt-4o-mini',
        day: '2030-01-01',
        ...totals(250, 1),
      },
      {
        tenant: 'globex-research',
        key_id: 'key_0000000000000002',
        model: 'odd,"alias"\nname',
        upstream_model: '',
        day: '2030-01-02',
        ...totals(1_000, 2_000_000, { cached_tokens: 7 }),
      },
    ],
  };

  it('asks for the rows and prints them as RFC 4180 CSV: header, CRLF, quoted fields, exact USD', async () => {
    server.responder = ({ url }) => (url.startsWith('/admin/usage') ? { status: 200, body: ROWS } : undefined);
    const { code, stdout, stderr } = await cli(['usage', '--format', 'csv', '--tenant', 'acme'], { env: env() });
    expect([code, stderr]).toEqual([0, '']);
    expect(server.last.url).toBe('/admin/usage?tenant=acme&detail=rows');
    expect(stdout).toBe(
      [
        'tenant,key_id,alias,model,day,requests,input_tokens,output_tokens,cached_tokens,cost_usd',
        'acme,key_0000000000000001,fast,gpt-4o-mini,2030-01-01,250,250000,2500,0,0.000001',
        'globex-research,key_0000000000000002,"odd,""alias""\nname",,2030-01-02,1000,1000000,10000,7,2.000000',
        '',
      ].join('\r\n'),
    );
  });

  it("the keys' labels become columns label:<name>, in name order, empty where a key lacks one", async () => {
    const labelled: AdminUsageView = {
      ...ROWS,
      rows: [
        { ...ROWS.rows![0]!, labels: { team: 'search', 'cost-centre': 'cc-42' } },
        { ...ROWS.rows![0]!, key_id: 'key_0000000000000002', labels: { team: 'ads' } },
      ],
    };
    server.responder = ({ url }) => (url.startsWith('/admin/usage') ? { status: 200, body: labelled } : undefined);
    const lines = (await cli(['usage', '--format', 'csv'], { env: env() })).stdout.split('\r\n');
    expect(lines[0]).toMatch(/,cost_usd,label:cost-centre,label:team$/);
    expect(lines[1]).toMatch(/,0\.000001,cc-42,search$/);
    expect(lines[2]).toMatch(/,0\.000001,,ads$/);
  });

  it('a row without requests (stored-response counts only) is left out', async () => {
    const stored: AdminUsageView = {
      ...ROWS,
      rows: [ROWS.rows![0]!, { ...ROWS.rows![0]!, upstream_model: '', ...totals(0, 0, { stored_responses: 1 }) }],
    };
    server.responder = ({ url }) => (url.startsWith('/admin/usage') ? { status: 200, body: stored } : undefined);
    const lines = (await cli(['usage', '--format', 'csv'], { env: env() })).stdout.split('\r\n');
    expect(lines).toEqual([expect.stringMatching(/^tenant,/), expect.stringMatching(/,gpt-4o-mini,/), '']);
  });

  it('no rows: the header alone; an unknown format is a usage error', async () => {
    server.responder = ({ url }) =>
      url.startsWith('/admin/usage') ? { status: 200, body: { ...USAGE, rows: [] } } : undefined;
    expect((await cli(['usage', '--format', 'csv'], { env: env() })).stdout).toBe(
      'tenant,key_id,alias,model,day,requests,input_tokens,output_tokens,cached_tokens,cost_usd\r\n',
    );
    const wrong = await cli(['usage', '--format', 'xlsx'], { env: env() });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--format: "xlsx" is not one of table, csv');
  });
});
