import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake AWS endpoint received. */
export interface AwsRecorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeAwsState {
  /** Stack name → outputs (key → value). */
  readonly stacks: Record<string, Record<string, string>>;
  /** Usage plans: id, name, the REST API they are on, the API key ids they hold. */
  readonly usagePlans: { id: string; name: string; apiId: string; keys: string[] }[];
  /** API keys that exist: id → name. */
  readonly apiKeys: Map<string, string>;
  /** Tags of API keys, by id (GetApiKeys returns them with each key). */
  readonly apiKeyTags?: Record<string, Record<string, string>>;
}

const xml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function describeStacks(state: FakeAwsState, form: URLSearchParams): { status: number; body: string } {
  const name = form.get('StackName') ?? '';
  const outputs = state.stacks[name];
  if (form.get('Action') !== 'DescribeStacks' || form.get('Version') !== '2010-05-15' || outputs === undefined) {
    return {
      status: 400,
      body: `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${xml(name)} does not exist</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
    };
  }
  const members = Object.entries(outputs)
    .map(
      ([key, value]) =>
        `<member><Description>about ${xml(key)} &amp; more</Description><OutputKey>${xml(key)}</OutputKey><OutputValue>${xml(value)}</OutputValue></member>`,
    )
    .join('');
  return {
    status: 200,
    body: `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><Tags/><StackName>${xml(name)}</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${members}</Outputs><Parameters><member><ParameterKey>BootstrapVersion</ParameterKey><ParameterValue>/cdk-bootstrap/hnb659fds/version</ParameterValue></member></Parameters></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DescribeStacksResponse>`,
  };
}

/** A page of `items` (2 per page: the CLI must follow `position`). */
function page<T>(items: readonly T[], url: URL): string {
  const start = Number(url.searchParams.get('position') ?? '0');
  const next = start + 2 < items.length ? { position: String(start + 2) } : {};
  return JSON.stringify({ item: items.slice(start, start + 2), ...next });
}

function apiGateway(state: FakeAwsState, method: string, url: URL): { status: number; body: string } {
  if (method === 'GET' && url.pathname === '/usageplans') {
    const plans = state.usagePlans.map((p) => ({
      id: p.id,
      name: p.name,
      apiStages: [{ apiId: p.apiId, stage: 'prod' }],
    }));
    return { status: 200, body: page(plans, url) };
  }
  const keys = /^\/usageplans\/([^/]+)\/keys$/.exec(url.pathname);
  if (method === 'GET' && keys) {
    const plan = state.usagePlans.find((p) => p.id === keys[1]);
    if (plan === undefined)
      return { status: 404, body: JSON.stringify({ message: 'Invalid Usage Plan ID specified' }) };
    const items = plan.keys
      .filter((id) => state.apiKeys.has(id))
      .map((id) => ({ id, type: 'API_KEY', name: state.apiKeys.get(id) }));
    return { status: 200, body: page(items, url) };
  }
  if (method === 'GET' && url.pathname === '/apikeys') {
    const items = [...state.apiKeys].map(([id, name]) => ({
      id,
      name,
      enabled: true,
      ...(state.apiKeyTags?.[id] === undefined ? {} : { tags: state.apiKeyTags[id] }),
    }));
    return { status: 200, body: page(items, url) };
  }
  const key = /^\/apikeys\/([^/]+)$/.exec(url.pathname);
  if (method === 'DELETE' && key) {
    if (!state.apiKeys.delete(key[1]!))
      return { status: 404, body: JSON.stringify({ message: 'Invalid API Key identifier specified' }) };
    return { status: 202, body: '' };
  }
  return { status: 404, body: JSON.stringify({ message: `no route ${method} ${url.pathname}` }) };
}

/** CloudFormation (POST /, Query API) and API Gateway (REST) on one local port: AWS_ENDPOINT_URL_* point here. */
export async function startFakeAws(
  state: FakeAwsState,
): Promise<{ url: string; requests: AwsRecorded[]; close: () => Promise<void> }> {
  const requests: AwsRecorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://fake');
      const answer =
        req.method === 'POST' && url.pathname === '/'
          ? describeStacks(state, new URLSearchParams(body))
          : apiGateway(state, req.method ?? '', url);
      res.writeHead(answer.status, { 'content-type': url.pathname === '/' ? 'text/xml' : 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
