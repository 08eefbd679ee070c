import { Duration, Stack } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  GraphWidgetView,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
  SingleValueWidget,
  TextWidget,
  type IAlarm,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import { cacheWidgets } from './cache-widgets.js';
import { NO_PROVIDER } from '../lambdas/observability/request-metrics.js';
import { COMPLETED_LINE } from '../lambdas/observability/request-report.js';
import { perSeries, summedRequests, type RequestMetric } from './request-metric-queries.js';

/**
 * Logs Insights over the chat function's log group: its EMF documents carry `tenant` and the metric values
 * (CostUSD, Requests, tokens) as top-level fields, so per-tenant cost needs no metric per tenant. Only documents
 * with Requests are request documents (not log lines, not routing counters).
 */
export const TOP_TENANTS_QUERY = [
  'filter ispresent(Requests) and ispresent(tenant)',
  'stats sum(CostUSD) as costUsd, sum(Requests) as requests, sum(InputTokens) as inputTokens, sum(OutputTokens) as outputTokens by tenant',
  'sort costUsd desc',
  'limit 25',
] as const;

export const TENANT_MODEL_COST_QUERY = [
  'filter ispresent(CostUSD) and ispresent(tenant)',
  'stats sum(CostUSD) as costUsd, sum(Requests) as requests by tenant, Model',
  'sort costUsd desc',
  'limit 50',
] as const;

/** How many tenants the top-N table lists. */
export const TOP_N_TENANTS = 10;

const F = COMPLETED_LINE;
/**
 * The top tenants by cost over the "request completed" lines (one per chat request, whatever the metrics): cost,
 * requests, tokens and failed requests per tenant. Field names from lambdas/observability/request-report.ts.
 */
export const TOP_N_TENANTS_QUERY = [
  `filter message = "${F.message}" and ispresent(${F.tenant})`,
  `fields ${F.costMicros} / 1000000 as lineUsd`,
  `stats sum(lineUsd) as costUsd, count(*) as requests, sum(${F.inputTokens}) as inputTokens, ` +
    `sum(${F.outputTokens}) as outputTokens, sum(${F.status} >= 500) as errors by ${F.tenant}`,
  'sort costUsd desc',
  `limit ${TOP_N_TENANTS}`,
] as const;

/** The 12-month view: cost summed per 30 days (the per-alias metrics are kept 15 months). */
export const MONTH = Duration.days(30);

export interface FinanceDashboardProps {
  /**
   * Model aliases, plans and providers get a cost line each (the configuration the functions run with); a provider's
   * line is labelled with its type (`bedrock`, `azure-openai`, …), so every provider type shows.
   */
  readonly config: Pick<GatewayConfig, 'models' | 'plans' | 'providers'>;
  /** Where the chat function writes its EMF documents; without it, no per-tenant widgets. */
  readonly chatLogGroup?: ILogGroup | undefined;
  /** Shown in an alarm status widget. */
  readonly alarms: readonly IAlarm[];
  /** The stack's metrics namespace (lib/deploy-settings.ts): the dashboard reads only its own stack's metrics. */
  readonly metricsNamespace: string;
}

type Dimension = 'Model' | 'Plan' | 'Provider';
/** One line of a widget: the dimension value it sums, and its label. */
interface Line {
  readonly value: string;
  readonly label: string;
}

const HOUR = Duration.hours(1);
const FIVE_MINUTES = Duration.minutes(5);

/**
 * The CloudWatch dashboard `<stack>-finance`: spend by model alias, by plan and by provider (the time range's total
 * and per hour; providers labelled with their type, Bedrock and Azure OpenAI included), requests by provider, what the
 * response cache saved and its hit rate, by alias and by plan (cache-widgets.ts), the top tenants by cost
 * (Logs Insights), then the traffic behind the spend — requests, errors and error rate,
 * latency and time to first token, tokens — and the alarms.
 */
export class FinanceDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** `<stack>-finance`, as a plain string (the dashboard's own attribute is a reference). */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: FinanceDashboardProps) {
    super(scope, id);
    const ns = props.metricsNamespace;
    const aliases = Object.keys(props.config.models);
    const plans = Object.keys(props.config.plans);
    const providers = Object.entries(props.config.providers).map(([name, provider]) => ({
      value: name,
      label: `${name} (${provider.type})`,
    }));
    const named = (values: readonly string[]): Line[] => values.map((value) => ({ value, label: value }));
    const costPerHour = (dimension: Dimension, values: readonly Line[], title: string, width = 12): GraphWidget =>
      new GraphWidget({
        title,
        left: values.map(({ value, label }) => summedRequests(ns, 'CostUSD', label, HOUR, { [dimension]: value })),
        leftYAxis: { label: 'USD', showUnits: false, min: 0 },
        stacked: true,
        period: HOUR,
        width,
        height: 6,
      });
    // One value over the whole time range: the widget sets the period (5 minutes is CDK's default, not rendered).
    const spend = (dimension: Dimension, values: readonly Line[], title: string, width = 12): SingleValueWidget =>
      new SingleValueWidget({
        title,
        metrics: [
          summedRequests(ns, 'CostUSD', 'all', FIVE_MINUTES),
          ...values.map(({ value, label }) =>
            summedRequests(ns, 'CostUSD', label, FIVE_MINUTES, { [dimension]: value }),
          ),
        ],
        setPeriodToTimeRange: true,
        fullPrecision: true,
        width,
        height: 4,
      });

    const rows: IWidget[][] = [
      [new TextWidget({ markdown: introduction(Stack.of(this).stackName), width: 24, height: 3 })],
      [
        spend('Model', named(aliases), 'Spend in the time range by model alias (USD)'),
        spend('Plan', named(plans), 'Spend in the time range by plan (USD)'),
      ],
      [
        costPerHour('Model', named(aliases), 'Cost by model alias (USD per hour)'),
        costPerHour('Plan', named(plans), 'Cost by plan (USD per hour)'),
      ],
      [
        spend('Provider', providers, 'Spend in the time range by provider (USD)', 8),
        costPerHour('Provider', providers, 'Cost by provider (USD per hour)', 8),
        requestsByProvider(ns, providers),
      ],
      cacheWidgets(ns, 'Model', aliases, 'model alias', HOUR, FIVE_MINUTES),
      cacheWidgets(ns, 'Plan', plans, 'plan', HOUR, FIVE_MINUTES),
      ...(props.chatLogGroup === undefined ? [] : [tenantWidgets(props.chatLogGroup)]),
      [costByMonth(ns, aliases)],
      [
        requestsAndErrors(ns),
        percentiles(ns, 'Latency', 'Latency (ms)'),
        percentiles(ns, 'TimeToFirstToken', 'Time to first token, streams (ms)'),
      ],
      [tokens(ns), new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 12, height: 6 })],
    ];

    this.dashboardName = `${Stack.of(this).stackName}-finance`;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: this.dashboardName,
      defaultInterval: Duration.days(7),
      widgets: rows,
    });
  }
}

function introduction(stackName: string): string {
  return [
    `# LLM Gateway ${stackName}: spend`,
    "Cost is the gateway's own price table (`prices` in gateway.config.json) applied to the usage each provider reported " +
      '(or the gateway estimated); calls of a model without a price are not in it. Per-tenant figures come from the chat ' +
      "function's logs (kept one month) and cover the dashboard's time range.",
  ].join('\n\n');
}

function tenantWidgets(logGroup: ILogGroup): IWidget[] {
  const table = (title: string, queryLines: readonly string[]): LogQueryWidget =>
    new LogQueryWidget({
      title,
      logGroupNames: [logGroup.logGroupName],
      queryLines: [...queryLines],
      view: LogQueryVisualizationType.TABLE,
      width: 12,
      height: 8,
    });
  return [
    table('Top tenants by cost (USD, time range)', TOP_TENANTS_QUERY),
    table('Cost by tenant and model alias (USD, time range)', TENANT_MODEL_COST_QUERY),
    table(`Top ${TOP_N_TENANTS} tenants, from the request lines (USD, time range)`, TOP_N_TENANTS_QUERY),
  ];
}

/** The last 12 months whatever the dashboard's range: cost per 30 days, stacked by alias, and the total. */
function costByMonth(ns: string, aliases: readonly string[]): GraphWidget {
  return new GraphWidget({
    title: 'Cost by month, last 12 months (USD per 30 days)',
    left: [
      summedRequests(ns, 'CostUSD', 'all', MONTH),
      ...aliases.map((alias) => summedRequests(ns, 'CostUSD', alias, MONTH, { Model: alias })),
    ],
    leftYAxis: { label: 'USD', showUnits: false, min: 0 },
    view: GraphWidgetView.BAR,
    period: MONTH,
    start: '-P365D',
    width: 24,
    height: 6,
  });
}

/** Requests per provider (stacked), and the requests no provider served (rejected before upstream, all tries failed). */
function requestsByProvider(ns: string, providers: readonly Line[]): GraphWidget {
  const lines = [...providers, { value: NO_PROVIDER, label: 'no provider' }];
  return new GraphWidget({
    title: 'Requests by provider (per 5 minutes)',
    left: lines.map(({ value, label }) => summedRequests(ns, 'Requests', label, FIVE_MINUTES, { Provider: value })),
    leftYAxis: { label: 'requests', showUnits: false, min: 0 },
    stacked: true,
    width: 8,
    height: 6,
  });
}

function requestsAndErrors(ns: string): GraphWidget {
  const requests = summedRequests(ns, 'Requests', 'requests', FIVE_MINUTES);
  const errors = summedRequests(ns, 'Errors', 'errors (5xx, failed streams)', FIVE_MINUTES);
  const errorRate = new MathExpression({
    expression: '100 * errors / requests',
    label: 'error rate (%)',
    period: FIVE_MINUTES,
    usingMetrics: { errors, requests },
  });
  return new GraphWidget({
    title: 'Requests, errors and error rate',
    left: [requests, errors],
    right: [errorRate],
    leftYAxis: { label: 'per 5 minutes', showUnits: false, min: 0 },
    rightYAxis: { label: '%', showUnits: false, min: 0 },
    width: 8,
    height: 6,
  });
}

/** p50 and p99 per series: percentiles of different series cannot be added up. */
function percentiles(ns: string, metric: RequestMetric, title: string): GraphWidget {
  return new GraphWidget({
    title,
    left: [perSeries(ns, metric, 'p50', 'p50', FIVE_MINUTES), perSeries(ns, metric, 'p99', 'p99', FIVE_MINUTES)],
    leftYAxis: { label: 'ms', showUnits: false, min: 0 },
    width: 8,
    height: 6,
  });
}

function tokens(ns: string): GraphWidget {
  const lines: [RequestMetric, string][] = [
    ['InputTokens', 'input'],
    ['OutputTokens', 'output'],
    ['CachedTokens', 'cached input (read)'],
    ['CacheWriteTokens', 'cache writes'],
  ];
  return new GraphWidget({
    title: 'Tokens per hour',
    left: lines.map(([metric, label]) => summedRequests(ns, metric, label, HOUR)),
    leftYAxis: { label: 'tokens', showUnits: false, min: 0 },
    period: HOUR,
    width: 12,
    height: 6,
  });
}
