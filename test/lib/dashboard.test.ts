import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ConfigError, parseConfig } from '../../lambdas/config/load.js';
import { publishRequestMetrics, type RequestMetricsRecord } from '../../lambdas/observability/request-metrics.js';
import { completedLogFields, COMPLETED_LINE } from '../../lambdas/observability/request-report.js';
import { TENANT_MODEL_COST_QUERY, TOP_N_TENANTS_QUERY, TOP_TENANTS_QUERY } from '../../lib/finance-dashboard.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../../lib/paths.js';
import { render } from '../helpers/cfn-render.js';
import { tempDir } from '../helpers/tmp.js';
import { captureEmf, type EmfDocument } from '../observability/emf-capture.js';

// The finance dashboard, the alarms and their topic, synthesized without bundling (nothing here reads the bundles).

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: { cdk_nag?: unknown };
}
interface MetricEntry {
  expression?: string;
  label?: string;
  id?: string;
  period?: number;
  yAxis?: string;
}
interface Widget {
  type: string;
  properties: {
    title?: string;
    view?: string;
    query?: string;
    metrics?: MetricEntry[][];
    stacked?: boolean;
    setPeriodToTimeRange?: boolean;
    alarms?: string[];
  };
}

const REPO_CONFIG = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
const repoConfig = (): Record<string, unknown> => JSON.parse(REPO_CONFIG) as Record<string, unknown>;
const ERROR_RATE_QUERY =
  'SELECT AVG(Errors) FROM SCHEMA("LLMGateway/Finance", Model, Plan, Provider, service) WHERE service = \'llm-gateway\'';
const HOURLY_COST_QUERY =
  'SELECT SUM(CostUSD) FROM SCHEMA("LLMGateway/Finance", Model, Plan, Provider, service) WHERE service = \'llm-gateway\'';
// The stack Finance writes and reads its own namespace (lib/deploy-settings.ts).
const SCHEMA = '{LLMGateway/Finance,Model,Plan,Provider,service}';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir('dashboard-test');
});
afterAll(() => dir.remove());

interface Synthesized {
  app: App;
  stack: GatewayStack;
  template: Template;
  resources: Record<string, CfnResource>;
}

let configs = 0;
function synth(config: Record<string, unknown> = repoConfig(), context: Record<string, unknown> = {}): Synthesized {
  const configFile = join(dir.path, `gateway.config.${(configs += 1)}.json`);
  const text = JSON.stringify(config);
  writeFileSync(configFile, text);
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new GatewayStack(app, 'Finance', { config: parseConfig(text, configFile), configFile });
  const template = Template.fromStack(stack);
  return { app, stack, template, resources: template.toJSON().Resources as Record<string, CfnResource> };
}

const withAlarms = (alarms: Record<string, unknown>): Record<string, unknown> => ({ ...repoConfig(), alarms });

const ofType = (s: Synthesized, type: string): [string, CfnResource][] =>
  Object.entries(s.resources).filter(([, resource]) => resource.Type === type);
/** The alarm topic's resources of a type (the budget warnings have their own topic and key: lib/budget-topic.ts). */
const alarmTopicOf = (s: Synthesized, type: string): [string, CfnResource][] =>
  ofType(s, type).filter(([id]) => id.startsWith('AlarmTopic'));

const logicalIdOf = (s: Synthesized, construct: IConstruct): string =>
  s.stack.getLogicalId(construct.node.defaultChild as CfnElement);

function dashboardOf(s: Synthesized): { name: string; widgets: Widget[] } {
  const dashboards = ofType(s, 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  const [[, dashboard]] = dashboards as [[string, CfnResource]];
  const body = JSON.parse(render(dashboard.Properties.DashboardBody)) as { widgets: Widget[] };
  return { name: render(dashboard.Properties.DashboardName), widgets: body.widgets };
}

function widget(widgets: Widget[], title: string): Widget {
  const found = widgets.filter((w) => w.properties.title === title);
  expect(found.map((w) => w.properties.title)).toEqual([title]);
  return found[0]!;
}

const entries = (w: Widget): MetricEntry[] => (w.properties.metrics ?? []).map((row) => row[row.length - 1]!);
const labelled = (w: Widget): Record<string, string> =>
  Object.fromEntries(entries(w).map((entry) => [entry.label ?? '', entry.expression ?? '']));

const sumOf = (metric: string, narrowed = ''): string =>
  `SUM(SEARCH('${SCHEMA} MetricName="${metric}" service="llm-gateway"${narrowed}', 'Sum'))`;

/** A streamed, priced request: the document carrying every metric the dashboard reads. */
const streamed: RequestMetricsRecord = {
  model: 'fast',
  provider: 'openai',
  plan: 'pro',
  tenant: 'tenant-acme',
  keyId: 'key-0123',
  requestId: 'req-1',
  status: 200,
  latencyMs: 900,
  timeToFirstTokenMs: 120,
  usage: { inputTokens: 1_000, outputTokens: 200, cachedInputTokens: 500, cacheWriteTokens: 10 },
  costMicros: 420,
  estimated: false,
  fallbacks: 0,
  attempts: 1,
};

/** The EMF documents of `records`, written with the environment the stack gives the chat function. */
function documentsOf(s: Synthesized, records: readonly RequestMetricsRecord[]): EmfDocument[] {
  const variables = (
    s.resources[logicalIdOf(s, s.stack.functionOf('chat'))]!.Properties.Environment as {
      Variables: Record<string, string>;
    }
  ).Variables;
  const capture = captureEmf({
    POWERTOOLS_METRICS_NAMESPACE: variables.POWERTOOLS_METRICS_NAMESPACE!,
    POWERTOOLS_SERVICE_NAME: variables.POWERTOOLS_SERVICE_NAME!,
  });
  try {
    for (const record of records) publishRequestMetrics(record);
  } finally {
    capture.stop();
  }
  expect(capture.documents).toHaveLength(records.length);
  return capture.documents;
}

// ---- the dashboard ----

describe('finance dashboard', () => {
  let repo: Synthesized;
  let widgets: Widget[];
  beforeAll(() => {
    repo = synth();
    widgets = dashboardOf(repo).widgets;
  });

  test('is named <stack>-finance, and the stack outputs its console URL', () => {
    expect(dashboardOf(repo).name).toBe('Finance-finance');
    expect(render(repo.template.findOutputs('FinanceDashboardUrl').FinanceDashboardUrl?.Value)).toBe(
      'https://<AWS::Region>.console.aws.amazon.com/cloudwatch/home?region=<AWS::Region>#dashboards/dashboard/Finance-finance',
    );
  });

  test('cost per hour by model alias: one stacked line per configured alias, summed over providers and plans', () => {
    const byModel = widget(widgets, 'Cost by model alias (USD per hour)');
    expect(byModel.properties.stacked).toBe(true);
    expect(labelled(byModel)).toEqual({
      demo: sumOf('CostUSD', ' Model="demo"'),
      'gpt-4o-mini': sumOf('CostUSD', ' Model="gpt-4o-mini"'),
      'claude-haiku': sumOf('CostUSD', ' Model="claude-haiku"'),
      fast: sumOf('CostUSD', ' Model="fast"'),
      'embed-small': sumOf('CostUSD', ' Model="embed-small"'),
      'demo-embed': sumOf('CostUSD', ' Model="demo-embed"'),
    });
    expect(entries(byModel).map((e) => e.period)).toEqual([3600, 3600, 3600, 3600, 3600, 3600]);
  });

  test('cost per hour by plan: one stacked line per configured plan', () => {
    const byPlan = widget(widgets, 'Cost by plan (USD per hour)');
    expect(byPlan.properties.stacked).toBe(true);
    expect(labelled(byPlan)).toEqual({
      default: sumOf('CostUSD', ' Plan="default"'),
      free: sumOf('CostUSD', ' Plan="free"'),
      pro: sumOf('CostUSD', ' Plan="pro"'),
    });
  });

  test.each([
    [
      'Spend in the time range by model alias (USD)',
      ['all', 'demo', 'gpt-4o-mini', 'claude-haiku', 'fast', 'embed-small', 'demo-embed'],
    ],
    ['Spend in the time range by plan (USD)', ['all', 'default', 'free', 'pro']],
  ])('%s: the total and each value over the whole time range', (title, labels) => {
    const spend = widget(widgets, title);
    expect(spend.properties).toMatchObject({ view: 'singleValue', setPeriodToTimeRange: true });
    expect(Object.keys(labelled(spend))).toEqual(labels);
    expect(labelled(spend).all).toBe(sumOf('CostUSD'));
    // No period of their own: the time range is the period.
    expect(entries(spend).map((e) => e.period)).toEqual(labels.map(() => undefined));
  });

  test('the cost lines follow the configuration: other aliases and plans, other lines', () => {
    const config = {
      providers: { echo: { type: 'echo' } },
      models: {
        chat: { targets: [{ provider: 'echo', model: 'e' }] },
        'summarize.v2': { targets: [{ provider: 'echo', model: 'e' }] },
      },
      plans: { default: { rateLimit: 1, burstLimit: 1 }, gold_tier: { rateLimit: 5, burstLimit: 5 } },
    };
    const other = dashboardOf(synth(config)).widgets;
    expect(labelled(widget(other, 'Cost by model alias (USD per hour)'))).toEqual({
      chat: sumOf('CostUSD', ' Model="chat"'),
      'summarize.v2': sumOf('CostUSD', ' Model="summarize.v2"'),
    });
    expect(Object.keys(labelled(widget(other, 'Cost by plan (USD per hour)')))).toEqual(['default', 'gold_tier']);
  });

  test('the response cache: saved USD over the time range, and the hit rate per hour, by model alias and by plan', () => {
    const saved = widget(widgets, 'Saved by the response cache in the time range by plan (USD)');
    expect(saved.properties).toMatchObject({ view: 'singleValue', setPeriodToTimeRange: true });
    expect(labelled(saved)).toEqual({
      all: sumOf('CostSavedUSD'),
      default: sumOf('CostSavedUSD', ' Plan="default"'),
      free: sumOf('CostSavedUSD', ' Plan="free"'),
      pro: sumOf('CostSavedUSD', ' Plan="pro"'),
    });
    const byModel = widget(widgets, 'Saved by the response cache in the time range by model alias (USD)');
    expect(labelled(byModel).fast).toBe(sumOf('CostSavedUSD', ' Model="fast"'));
    const rates = widget(widgets, 'Response cache hit rate by model alias (%)');
    const lines = labelled(rates);
    expect(lines.all).toBe('100 * h0 / (h0 + m0)');
    expect(lines.fast).toBe('100 * h4 / (h4 + m4)');
    expect(lines['hits fast']).toBe(sumOf('CacheHits', ' Model="fast"'));
    expect(lines['misses fast']).toBe(sumOf('CacheMisses', ' Model="fast"'));
    expect(Object.keys(labelled(widget(widgets, 'Response cache hit rate by plan (%)')))).toContain('pro');
  });

  test('cost and requests by provider: one line per configured provider, labelled with its type (Bedrock included)', () => {
    const providers = {
      echo: { type: 'echo' },
      'aws-us': { type: 'bedrock', region: 'us-east-1' },
      'aws-eu': { type: 'bedrock', region: 'eu-west-1' },
      openai: { type: 'openai' },
    };
    const config = {
      providers,
      models: { chat: { targets: [{ provider: 'aws-us', model: 'anthropic.claude-3-haiku-20240307-v1:0' }] } },
      plans: { default: { rateLimit: 1, burstLimit: 1 } },
    };
    const other = dashboardOf(synth(config)).widgets;
    const lines = {
      'echo (echo)': sumOf('CostUSD', ' Provider="echo"'),
      'aws-us (bedrock)': sumOf('CostUSD', ' Provider="aws-us"'),
      'aws-eu (bedrock)': sumOf('CostUSD', ' Provider="aws-eu"'),
      'openai (openai)': sumOf('CostUSD', ' Provider="openai"'),
    };
    const byProvider = widget(other, 'Cost by provider (USD per hour)');
    expect(byProvider.properties.stacked).toBe(true);
    expect(labelled(byProvider)).toEqual(lines);
    expect(labelled(widget(other, 'Spend in the time range by provider (USD)'))).toEqual({
      all: sumOf('CostUSD'),
      ...lines,
    });
    expect(labelled(widget(other, 'Requests by provider (per 5 minutes)'))).toEqual({
      'echo (echo)': sumOf('Requests', ' Provider="echo"'),
      'aws-us (bedrock)': sumOf('Requests', ' Provider="aws-us"'),
      'aws-eu (bedrock)': sumOf('Requests', ' Provider="aws-eu"'),
      'openai (openai)': sumOf('Requests', ' Provider="openai"'),
      'no provider': sumOf('Requests', ' Provider="none"'),
    });
  });

  test('requests and errors are summed over every series; the error rate is 100 × errors / requests', () => {
    const traffic = widget(widgets, 'Requests, errors and error rate');
    const [requests, errors, rate] = entries(traffic);
    expect(requests).toMatchObject({ id: 'requests', expression: sumOf('Requests') });
    expect(errors).toMatchObject({ id: 'errors', expression: sumOf('Errors') });
    expect(rate).toMatchObject({ expression: '100 * errors / requests', yAxis: 'right' });
  });

  test.each([
    ['Latency (ms)', 'Latency'],
    ['Time to first token, streams (ms)', 'TimeToFirstToken'],
  ])('%s: p50 and p99 of %s, per series (percentiles do not add up)', (title, metric) => {
    expect(labelled(widget(widgets, title))).toEqual({
      p50: `SEARCH('${SCHEMA} MetricName="${metric}" service="llm-gateway"', 'p50')`,
      p99: `SEARCH('${SCHEMA} MetricName="${metric}" service="llm-gateway"', 'p99')`,
    });
  });

  test('tokens per hour: input, output, cached input and cache writes', () => {
    expect(labelled(widget(widgets, 'Tokens per hour'))).toEqual({
      input: sumOf('InputTokens'),
      output: sumOf('OutputTokens'),
      'cached input (read)': sumOf('CachedTokens'),
      'cache writes': sumOf('CacheWriteTokens'),
    });
  });

  test('per-tenant cost: Logs Insights tables over the chat function’s log group, top tenants first', () => {
    const chatLogs = `<${logicalIdOf(repo, repo.stack.functionOf('chat').logGroup as unknown as IConstruct)}>`;
    const topTenants = widget(widgets, 'Top tenants by cost (USD, time range)');
    expect(topTenants).toMatchObject({ type: 'log', properties: { view: 'table' } });
    expect(topTenants.properties.query).toBe(`SOURCE '${chatLogs}' | ${TOP_TENANTS_QUERY.join('\n| ')}`);
    expect(topTenants.properties.query).toMatch(
      /\| stats sum\(CostUSD\) as costUsd,.* by tenant\n\| sort costUsd desc\n/,
    );
    const byModel = widget(widgets, 'Cost by tenant and model alias (USD, time range)');
    expect(byModel.properties.query).toBe(`SOURCE '${chatLogs}' | ${TENANT_MODEL_COST_QUERY.join('\n| ')}`);
    expect(byModel.properties.query).toContain(
      'stats sum(CostUSD) as costUsd, sum(Requests) as requests by tenant, Model',
    );
  });

  test('top-N tenants over the "request completed" lines, with the field names that line has', () => {
    const chatLogs = `<${logicalIdOf(repo, repo.stack.functionOf('chat').logGroup as unknown as IConstruct)}>`;
    const top = widget(widgets, 'Top 10 tenants, from the request lines (USD, time range)');
    expect(top).toMatchObject({ type: 'log', properties: { view: 'table' } });
    expect(top.properties.query).toBe(`SOURCE '${chatLogs}' | ${TOP_N_TENANTS_QUERY.join('\n| ')}`);
    expect(top.properties.query).toContain('filter message = "request completed"');
    expect(top.properties.query).toMatch(/\| sort costUsd desc\n\| limit 10$/);
    // Every field the query names is where completedLogFields writes it.
    const line = completedLogFields(
      {
        tenant: 't',
        alias: 'a',
        status: 500,
        costMicros: 1,
        usage: { inputTokens: 1, outputTokens: 2 },
        fallbacks: 0,
        policy: [],
      } as unknown as Parameters<typeof completedLogFields>[0],
      undefined,
    );
    for (const path of [
      COMPLETED_LINE.tenant,
      COMPLETED_LINE.alias,
      COMPLETED_LINE.status,
      COMPLETED_LINE.costMicros,
      COMPLETED_LINE.inputTokens,
      COMPLETED_LINE.outputTokens,
    ]) {
      const value = path
        .split('.')
        .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], line);
      expect([path, value]).toEqual([path, expect.anything()]);
    }
  });

  test('12 months of cost per 30 days, whatever the dashboard range: total and per alias', () => {
    const months = widget(widgets, 'Cost by month, last 12 months (USD per 30 days)') as Widget & {
      properties: { start?: string; view?: string; period?: number };
    };
    expect(months.properties).toMatchObject({ start: '-P365D', view: 'bar', period: 2_592_000 });
    expect(Object.keys(labelled(months))).toEqual(['all', ...Object.keys(repoConfig().models as object)]);
  });

  test('the alarm status widget shows the alarms', () => {
    expect(widget(widgets, 'Alarms').properties.alarms).toEqual([
      `<${logicalIdOf(repo, repo.stack.alarms.errorRate)}.Arn>`,
      `<${logicalIdOf(repo, repo.stack.alarms.functionFailures)}.Arn>`,
    ]);
  });

  test('reads what the chat function writes: its namespace, its dimension set, its metric and field names', () => {
    // A cache hit's document: it carries the cache's metrics too.
    const [document] = documentsOf(repo, [{ ...streamed, cache: 'hit', savedMicros: 420 }]) as [EmfDocument];
    const [directive] = document._aws.CloudWatchMetrics;
    // The search schema is the document's namespace and exactly its dimension set (order does not matter to CloudWatch).
    expect(`{${[directive!.Namespace, ...[...directive!.Dimensions[0]!].sort()].join(',')}}`).toBe(SCHEMA);
    expect(document.service).toBe('llm-gateway');
    const expressions = JSON.stringify(widgets);
    const searched = [...expressions.matchAll(/MetricName=\\"(\w+)\\"/g)].map((m) => m[1]!);
    expect(new Set(searched)).toEqual(
      new Set([
        'CostUSD',
        'Requests',
        'Errors',
        'Latency',
        'TimeToFirstToken',
        'InputTokens',
        'OutputTokens',
        'CachedTokens',
        'CacheWriteTokens',
        'CacheHits',
        'CacheMisses',
        'CostSavedUSD',
      ]),
    );
    const emitted = directive!.Metrics.map((m) => m.Name);
    for (const name of searched) expect({ name, emitted: emitted.includes(name) }).toEqual({ name, emitted: true });
    // The Logs Insights fields are top-level fields of the same document.
    expect(document).toMatchObject({
      tenant: 'tenant-acme',
      CostUSD: 0.00042,
      Requests: 1,
      InputTokens: 1_000,
      OutputTokens: 200,
      Model: 'fast',
    });
  });

  test('CloudWatch accepts the math: no warning about unknown identifiers', () => {
    expect(Annotations.fromStack(repo.stack).findWarning('*', Match.stringLikeRegexp('Math|identifier'))).toEqual([]);
  });
});

// ---- the alarms ----

describe('alarms', () => {
  const alarmsOf = (s: Synthesized): Record<string, Record<string, unknown>> =>
    Object.fromEntries(
      ofType(s, 'AWS::CloudWatch::Alarm').map(([, r]) => [r.Properties.AlarmName as string, r.Properties]),
    );
  const topicRef = (s: Synthesized): { Ref: string } => ({ Ref: logicalIdOf(s, s.stack.alarms.topic) });
  /** An alarm on one Metrics Insights query, above its threshold, missing data OK, notifying the topic both ways. */
  const queryAlarm = (
    s: Synthesized,
    alarm: { name: string; description: unknown; query: string; label: string; period: number; threshold: number },
  ): Record<string, unknown> => ({
    AlarmName: alarm.name,
    AlarmDescription: alarm.description,
    Metrics: [{ Id: 'expr_1', Expression: alarm.query, Label: alarm.label, Period: alarm.period, ReturnData: true }],
    Threshold: alarm.threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [topicRef(s)],
    OKActions: [topicRef(s)],
  });

  test('without `alarms`: the error-rate alarm at 5 %, the function-failures alarm, and no budget-burn alarm', () => {
    const s = synth();
    expect(parseConfig(REPO_CONFIG, 'repo').alarms).toBeUndefined();
    const {
      'Finance-alarm-function-failures': failures,
      'Finance-alarm-ledger-rebook-dead-letters': deadLetters,
      ...queryAlarms
    } = alarmsOf(s);
    expect(failures).toBeDefined();
    expect(deadLetters).toBeDefined();
    expect(queryAlarms).toEqual({
      'Finance-alarm-error-rate': queryAlarm(s, {
        name: 'Finance-alarm-error-rate',
        description: expect.stringMatching(/^LLM Gateway: more than 5 % of chat requests failed over 5 minutes/),
        query: ERROR_RATE_QUERY,
        label: 'Errors / Requests',
        period: 300,
        threshold: 0.05,
      }),
    });
    expect(s.stack.alarms.hourlyCost).toBeUndefined();
  });

  test('errorRatePercent sets the threshold (a fraction), still without a budget-burn alarm', () => {
    const s = synth(withAlarms({ errorRatePercent: 2.5 }));
    expect(Object.keys(alarmsOf(s)).sort()).toEqual([
      'Finance-alarm-error-rate',
      'Finance-alarm-function-failures',
      'Finance-alarm-ledger-rebook-dead-letters',
    ]);
    expect(alarmsOf(s)['Finance-alarm-error-rate']).toMatchObject({
      Threshold: 0.025,
      AlarmDescription: expect.stringContaining('more than 2.5 % of chat requests failed'),
    });
  });

  test('hourlyCostUsd adds the budget-burn alarm: the Sum of CostUSD over one hour above it', () => {
    const s = synth(withAlarms({ hourlyCostUsd: 12.5 }));
    expect(alarmsOf(s)['Finance-alarm-error-rate']).toMatchObject({ Threshold: 0.05 });
    expect(alarmsOf(s)['Finance-alarm-hourly-cost']).toEqual(
      queryAlarm(s, {
        name: 'Finance-alarm-hourly-cost',
        description: expect.stringContaining('more than 12.5 USD'),
        query: HOURLY_COST_QUERY,
        label: 'USD per hour',
        period: 3600,
        threshold: 12.5,
      }),
    );
    const statusWidget = widget(dashboardOf(s).widgets, 'Alarms');
    expect(statusWidget.properties.alarms).toHaveLength(3);
  });

  test('function failures: Lambda Errors + Throttles of chat and the authorizer over 5 minutes, above 0', () => {
    const s = synth();
    const alarm = alarmsOf(s)['Finance-alarm-function-failures'] as { Metrics: Record<string, unknown>[] } & Record<
      string,
      unknown
    >;
    expect(alarm).toMatchObject({
      AlarmDescription: expect.stringMatching(/crashed, timed out, ran out of memory or were throttled/),
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef(s)],
      OKActions: [topicRef(s)],
    });
    const [sum, ...inputs] = alarm.Metrics;
    // The authorizer's refusals (its AuthorizerDenials EMF count) are Lambda Errors too, and are subtracted.
    expect(sum).toMatchObject({
      Expression: 'FILL(e0, 0) + FILL(t0, 0) + FILL(e1, 0) + FILL(t1, 0) - FILL(d1, 0)',
      ReturnData: true,
    });
    const fnRef = (name: 'chat' | 'authorizer'): unknown => ({ Ref: logicalIdOf(s, s.stack.functionOf(name)) });
    expect(inputs.map((m) => m.MetricStat)).toEqual([
      ...(['chat', 'authorizer'] as const).flatMap((name) =>
        ['Errors', 'Throttles'].map((metric) => ({
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: fnRef(name) }],
          },
          Period: 300,
          Stat: 'Sum',
        })),
      ),
      {
        Metric: {
          Namespace: 'LLMGateway/Finance',
          MetricName: 'AuthorizerDenials',
          Dimensions: [{ Name: 'service', Value: 'llm-gateway' }],
        },
        Period: 300,
        Stat: 'Sum',
      },
    ]);
  });

  test('AVG(Errors) is Errors / Requests: every document has Requests = 1 and Errors 0 or 1', () => {
    const s = synth();
    const documents = documentsOf(s, [
      streamed,
      {
        ...streamed,
        requestId: 'req-2',
        status: 502,
        usage: undefined,
        costMicros: undefined,
        timeToFirstTokenMs: undefined,
      },
      { ...streamed, requestId: 'req-3', status: 429, provider: 'none', usage: undefined, costMicros: undefined },
      { ...streamed, requestId: 'req-4', streamError: true },
    ]);
    const values = (name: string): number[] => documents.map((d) => d[name] as number);
    expect(values('Requests')).toEqual([1, 1, 1, 1]);
    expect(values('Errors')).toEqual([0, 1, 0, 1]);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(sum(values('Errors')) / values('Errors').length).toBe(sum(values('Errors')) / sum(values('Requests')));
  });
});

describe('alarm topic', () => {
  test('encrypted with a rotated KMS key, TLS only; CloudWatch may publish for this stack’s alarms only', () => {
    const s = synth(withAlarms({ hourlyCostUsd: 1 }));
    const [[keyId, key]] = alarmTopicOf(s, 'AWS::KMS::Key') as [[string, CfnResource]];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const topics = alarmTopicOf(s, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    expect(topics[0]![1].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });

    const [[, policy]] = alarmTopicOf(s, 'AWS::SNS::TopicPolicy') as [[string, CfnResource]];
    interface Statement {
      Effect: string;
      Action: string | string[];
      Principal: unknown;
      Condition?: {
        StringEquals?: Record<string, unknown>;
        ArnLike?: Record<string, unknown>;
        Bool?: Record<string, string>;
      };
    }
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const keyStatements = (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
    const cloudwatch = (list: Statement[]): Statement[] =>
      list.filter((st) => JSON.stringify(st.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }));
    const [publish] = cloudwatch(statements);
    const [encrypt] = cloudwatch(keyStatements);
    expect(publish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
    expect(encrypt).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    for (const statement of [publish!, encrypt!]) {
      expect(statement.Condition?.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      const source = render(statement.Condition?.ArnLike?.['aws:SourceArn']);
      expect(source).toBe('arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:Finance-alarm-*');
      // Every alarm of the stack matches the pattern, or its notifications would be refused.
      const pattern = new RegExp(`^${source.split(':alarm:')[1]!.replace('*', '.*')}$`);
      const names = ofType(s, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties.AlarmName as string);
      // error rate, hourly cost, function failures, ledger-rebook's dead letters
      expect(names).toHaveLength(4);
      for (const name of names) expect({ name, matches: pattern.test(name) }).toEqual({ name, matches: true });
    }
    expect(render(s.template.findOutputs('AlarmTopicArn').AlarmTopicArn?.Value)).toBe(
      `<${logicalIdOf(s, s.stack.alarms.topic)}>`,
    );
  });

  test('alarms.email subscribes that address; without it, no subscription', () => {
    expect(ofType(synth(), 'AWS::SNS::Subscription')).toEqual([]);
    const s = synth(withAlarms({ email: 'finance@example.com' }));
    const subscriptions = ofType(s, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subscriptions).toEqual([
      { Protocol: 'email', Endpoint: 'finance@example.com', TopicArn: { Ref: logicalIdOf(s, s.stack.alarms.topic) } },
    ]);
  });

  test.each([
    ['retain', 'Retain'],
    ['destroy', 'Delete'],
  ])('the key follows the removal policy context like the table: %s', (removalPolicy, deletionPolicy) => {
    const s = synth(repoConfig(), { removalPolicy });
    const policies = (type: string): unknown[] =>
      ofType(s, type).map(([, r]) => (r as { DeletionPolicy?: string }).DeletionPolicy);
    expect(policies('AWS::KMS::Key')).toEqual([deletionPolicy, deletionPolicy]); // the alarm topic's and the budget topic's
    expect(policies('AWS::DynamoDB::Table')).toEqual([deletionPolicy]);
  });
});

// ---- configuration ----

describe('`alarms` in the configuration', () => {
  const problemsOf = (alarms: unknown): readonly string[] => {
    try {
      parseConfig(JSON.stringify({ alarms }), 'gw.json');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  };

  test('defaults errorRatePercent; hourlyCostUsd and email stay absent unless given', () => {
    expect(parseConfig('{"alarms":{}}', 'x').alarms).toEqual({ errorRatePercent: 5 });
    expect(parseConfig('{}', 'x').alarms).toBeUndefined();
    expect(
      parseConfig('{"alarms":{"errorRatePercent":1,"hourlyCostUsd":0.5,"email":"a@b.example"}}', 'x').alarms,
    ).toEqual({
      errorRatePercent: 1,
      hourlyCostUsd: 0.5,
      email: 'a@b.example',
    });
  });

  test.each([
    [{ errorRatePercent: 0 }, /^\$\.alarms\.errorRatePercent: /],
    [{ errorRatePercent: 101 }, /^\$\.alarms\.errorRatePercent: /],
    [{ hourlyCostUsd: -1 }, /^\$\.alarms\.hourlyCostUsd: /],
    [{ email: 'not-an-address' }, /^\$\.alarms\.email: /],
    [{ errorRate: 5 }, /^\$\.alarms: unknown key "errorRate"$/],
  ])('%j is refused with its path', (alarms, problem) => {
    const problems = problemsOf(alarms);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});

// ---- cdk-nag ----

describe('cdk-nag AwsSolutions', () => {
  test('no finding with every alarm resource present, and none of them acknowledged', () => {
    const s = synth(withAlarms({ hourlyCostUsd: 3, email: 'ops@example.com' }));
    const nag = new AwsSolutionsChecks(s.app, { verbose: true, writeSuppressionsToCloudFormation: true });
    s.app.synth();
    const findings = nag
      .validateScope(s.app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
    const ours = [
      ...ofType(s, 'AWS::KMS::Key'),
      ...ofType(s, 'AWS::SNS::Topic'),
      ...ofType(s, 'AWS::SNS::TopicPolicy'),
      ...ofType(s, 'AWS::CloudWatch::Alarm'),
      ...ofType(s, 'AWS::CloudWatch::Dashboard'),
    ];
    // the alarm topic, its key and policy, 4 alarms, the dashboard; the budget topic, its key and policy
    expect(ours).toHaveLength(11);
    const acknowledged = Template.fromStack(s.stack).toJSON().Resources as Record<string, CfnResource>;
    expect(ours.filter(([id]) => acknowledged[id]?.Metadata?.cdk_nag !== undefined).map(([id]) => id)).toEqual([]);
  });

  // The v3 pack has no SNS2 (encryption): the topic test above asserts the key. SNS3 passes for any encrypted topic.
  test('would report a topic without encryption or TLS policy (the check is live)', () => {
    const app = new App();
    const probe = new Stack(app, 'Probe');
    new Topic(probe, 'Plain');
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-SNS3');
  });
});
