import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreatedKey, KeyView } from '../../lambdas/api/key-schemas.js';

/** What the fake admin API received. */
export interface Recorded {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Canned {
  readonly status: number;
  /** JSON-encoded unless a string. */
  readonly body: unknown;
}

export type Responder = (request: Recorded) => Canned | undefined;

export const NEW_KEY = 'lgw_NEWKEYnewkeyNEWKEYnewkeyNEWKEYnewkeyNEWKEYnewk1a2b3c';

export function keyView(overrides: Partial<KeyView> = {}): KeyView {
  return {
    object: 'gateway.key',
    id: 'key_0000000000000001',
    tenant: 'acme',
    name: 'acme key',
    plan: 'default',
    models: null,
    scopes: ['chat'],
    status: 'active',
    last4: '3c4d',
    createdAt: '2030-01-01T10:00:00.000Z',
    lastUsedAt: null,
    expiresAt: null,
    rotatedFrom: null,
    rotatedTo: null,
    graceUntil: null,
    labels: {},
    ...overrides,
  };
}

export const createdKey = (overrides: Partial<CreatedKey> = {}): CreatedKey => ({
  ...keyView(),
  key: NEW_KEY,
  ...overrides,
});

const notFound = (id: string): Canned => ({
  status: 404,
  body: { error: { message: `No key ${id}`, type: 'invalid_request_error', param: null, code: 'key_not_found' } },
});

/** The admin routes, answered with canned keys in the API's shapes, below any stage prefix. */
export const defaultResponder: Responder = ({ method, url, body }) => {
  const path = new URL(url, 'http://x').pathname;
  const match = /\/admin\/keys(?:\/([^/]+)(?:\/(revoke|rotate))?)?$/.exec(path);
  if (!match) return undefined;
  const [, id, action] = match;
  if (id === 'key_missing') return notFound(id);
  if (method === 'POST' && id === undefined) {
    const request = JSON.parse(body) as Record<string, unknown>;
    return {
      status: 201,
      body: createdKey({
        tenant: String(request.tenant),
        name: typeof request.name === 'string' ? request.name : `${String(request.tenant)} key`,
        plan: typeof request.plan === 'string' ? request.plan : 'default',
        models: Array.isArray(request.models) ? (request.models as string[]) : null,
        scopes: Array.isArray(request.scopes) ? (request.scopes as KeyView['scopes']) : ['chat'],
        expiresAt: typeof request.expiresAt === 'string' ? request.expiresAt : null,
      }),
    };
  }
  if (method === 'GET' && id === undefined) {
    return {
      status: 200,
      body: {
        object: 'list',
        data: [
          keyView(),
          keyView({
            id: 'key_0000000000000002',
            tenant: 'globex-research',
            name: 'batch jobs',
            plan: 'enterprise',
            status: 'revoked',
            last4: '9z9z',
            lastUsedAt: '2030-01-02T03:04:05.678Z',
            expiresAt: '2030-12-31T00:00:00.000Z',
          }),
        ],
      },
    };
  }
  if (method === 'GET' && id !== undefined && action === undefined) return { status: 200, body: keyView({ id }) };
  if (method === 'POST' && id !== undefined && action === 'revoke')
    return { status: 200, body: keyView({ id, status: 'revoked' }) };
  if (method === 'POST' && id !== undefined && action === 'rotate') {
    return { status: 201, body: createdKey({ id: 'key_0000000000000009', rotatedFrom: id }) };
  }
  return undefined;
};

/** A fake admin API on 127.0.0.1, port 0: records every request and answers from `responder`. */
export class FakeAdminServer {
  readonly requests: Recorded[] = [];
  responder: Responder = defaultResponder;
  #server: Server | undefined;

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('fake admin server not started');
    return `http://127.0.0.1:${address.port}`;
  }

  get last(): Recorded {
    const request = this.requests.at(-1);
    if (!request) throw new Error('the fake admin server received no request');
    return request;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded: Recorded = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        const canned = this.responder(recorded) ?? {
          status: 404,
          body: { error: { message: 'Not found', type: 'invalid_request_error', param: null, code: 'not_found' } },
        };
        const text = typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body);
        res.writeHead(canned.status, {
          'content-type': typeof canned.body === 'string' ? 'text/plain' : 'application/json',
        });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
  }

  /** Forgets recorded requests and restores the default answers. */
  reset(): void {
    this.requests.length = 0;
    this.responder = defaultResponder;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }
}
