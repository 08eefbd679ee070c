import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from '../../lambdas/config/json-schema.js';
import { ConfigError, configPath, loadConfigFile, parseConfig } from '../../lambdas/config/load.js';
import { tempDir } from '../helpers/tmp.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseConfig(text, 'gw.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('gw.json');
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const echo = '"providers":{"echo":{"type":"echo"}}';

describe('configuration', () => {
  it('the shipped gateway.config.json is valid, with the demo alias on echo', () => {
    const config = loadConfigFile('gateway.config.json');
    expect(config.models.demo?.targets).toEqual([{ provider: 'echo', model: 'echo-1' }]);
    expect(config.providers.openai).toMatchObject({ type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' });
    expect(config.limits.maxRequestBytes).toBe(1048576);
  });

  it('applies defaults to an empty object', () => {
    expect(parseConfig('{}', 'x')).toEqual({
      providers: {},
      models: {},
      plans: { default: { rateLimit: 50, burstLimit: 100 } },
      auth: { cacheTtlSeconds: 300, defaultPlan: 'default', rotationGraceSeconds: 86400 },
      limits: { maxRequestBytes: 1048576 },
      prices: {},
      cors: { allowedOrigins: [], maxAgeSeconds: 600 },
      responses: { storeTtlSeconds: 2_592_000 },
      functions: { chatMemoryMb: 512 },
    });
  });

  it('cors.allowedOrigins takes origins only (scheme://host[:port]), not paths or wildcards', () => {
    expect(
      parseConfig('{"cors":{"allowedOrigins":["https://app.example.com","http://localhost:5173"]}}', 'x').cors,
    ).toEqual({ allowedOrigins: ['https://app.example.com', 'http://localhost:5173'], maxAgeSeconds: 600 });
    for (const bad of ['https://app.example.com/', '*', 'app.example.com', 'https://app.example.com/x'])
      expect(problemsOf(`{"cors":{"allowedOrigins":["${bad}"]}}`)).toHaveLength(1);
  });

  it("names a target's unknown provider by JSON path", () => {
    expect(
      problemsOf(
        `{${echo},"models":{"fast":{"targets":[{"provider":"echo","model":"a"},{"provider":"anthropc","model":"b"}]}}}`,
      ),
    ).toEqual(['$.models.fast.targets[1].provider: unknown provider "anthropc" (configured: echo)']);
  });

  it('rejects unknown keys (typos) where they are', () => {
    expect(problemsOf(`{${echo},"modles":{}}`)).toEqual(['$: unknown key "modles"']);
    expect(problemsOf('{"providers":{"o":{"type":"openai","baseUrl":"https://x"}}}')).toEqual([
      '$.providers.o: unknown key "baseUrl"',
    ]);
  });

  it('reports wrong types and values with their path', () => {
    const problems = problemsOf(
      '{"providers":{"o":{"type":"openai","baseURL":"ftp://x","apiKeyEnv":"lower"}},"limits":{"maxRequestBytes":"big"}}',
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^\$\.providers\.o\.baseURL: /);
    expect(problems[1]).toBe('$.providers.o.apiKeyEnv: must be an environment variable name such as OPENAI_API_KEY');
    expect(problems[2]).toMatch(/^\$\.limits\.maxRequestBytes: .*number/);
  });

  it('plans: the default plan must exist, a bucket must hold a second of traffic', () => {
    expect(problemsOf('{"plans":{"free":{"rateLimit":5,"burstLimit":2}}}')).toEqual([
      '$.auth.defaultPlan: unknown plan "default" (configured: free)',
      "$.plans.free.burstLimit: must be at least rateLimit (5), or the bucket never holds a second's worth",
    ]);
    expect(
      problemsOf('{"plans":{"default":{"rateLimit":1,"burstLimit":1,"quota":{"limit":5,"period":"YEAR"}}}}')[0],
    ).toMatch(/^\$\.plans\.default\.quota\.period: /);
  });

  it('an unknown provider type says which types exist', () => {
    const [problem] = problemsOf('{"providers":{"x":{"type":"gemini"}}}');
    expect(problem).toMatch(/^\$\.providers\.x\.type: /);
    expect(problem).toContain('openai');
  });

  it('openai-compatible needs a baseURL; an alias needs a target', () => {
    expect(problemsOf('{"providers":{"v":{"type":"openai-compatible"}}}')[0]).toMatch(/^\$\.providers\.v\.baseURL: /);
    expect(problemsOf(`{${echo},"models":{"m":{"targets":[]}}}`)[0]).toMatch(/^\$\.models\.m\.targets: /);
  });

  it('bad JSON and a missing file name the file', () => {
    expect(problemsOf('{"providers": ')[0]).toMatch(/^not valid JSON: /);
    const dir = tempDir('gw-config');
    try {
      expect(() => loadConfigFile(join(dir.path, 'missing.json'))).toThrow(
        /missing\.json:\n {2}- cannot be read: ENOENT/,
      );
      const file = join(dir.path, 'bad.json');
      writeFileSync(file, '{"limits":{"maxRequestBytes":1}}');
      expect(() => loadConfigFile(file)).toThrow(`Invalid gateway configuration in ${file}`);
    } finally {
      dir.remove();
    }
  });

  it('GATEWAY_CONFIG overrides the path; in Lambda it sits beside the bundle', () => {
    expect(configPath({ GATEWAY_CONFIG: '/etc/gw.json' })).toBe('/etc/gw.json');
    expect(configPath({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/gateway.config.json');
  });

  it('the published JSON Schema is the one generated from the zod schema (run `npm run schema`)', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')).toBe(renderConfigJsonSchema());
    const schema = JSON.parse(renderConfigJsonSchema()) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'providers',
      'models',
      'plans',
      'auth',
      'alarms',
      'budgets',
      'limits',
      'prices',
      'cors',
      'responses',
      'functions',
    ]);
  });

  it('auth.cacheTtlSeconds says x-api-key works on Anthropic-format routes whatever the TTL', () => {
    const schema = JSON.parse(renderConfigJsonSchema()) as {
      properties: { auth: { properties: { cacheTtlSeconds: { description: string } } } };
    };
    const text = schema.properties.auth.properties.cacheTtlSeconds.description;
    expect(text).not.toContain('which is also what lets a key arrive in x-api-key');
    expect(text).toMatch(/Anthropic-format routes \(\/v1\/messages\)[^.]*x-api-key/);
  });
});
