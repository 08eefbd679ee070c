import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lambdas/config/load.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../../lib/paths.js';

// The stack from the repository's configuration, without bundling: only the API's gateway responses are read.

let workDir: string;
let template: Template;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gateway-stack-headers-'));
  const configFile = join(workDir, 'gateway.config.json');
  const configText = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
  writeFileSync(configFile, configText);
  const app = new App({ outdir: join(workDir, 'cdk.out'), context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(
    new GatewayStack(app, 'HeadersGateway', { config: parseConfig(configText, configFile), configFile }),
  );
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('gateway responses (API Gateway answering itself)', () => {
  it('every one carries X-Content-Type-Options: nosniff, defaults included', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')) as {
      Properties: { ResponseType: string; ResponseParameters?: Record<string, string> };
    }[];
    expect(responses.map((r) => r.Properties.ResponseType)).toEqual(
      expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED']),
    );
    for (const { Properties } of responses) {
      expect({
        type: Properties.ResponseType,
        nosniff: Properties.ResponseParameters?.['gatewayresponse.header.X-Content-Type-Options'],
      }).toEqual({
        type: Properties.ResponseType,
        nosniff: "'nosniff'",
      });
    }
  });

  it("keeps the fixed responses' Content-Type beside it", () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: {
        'gatewayresponse.header.Content-Type': "'application/json'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
      },
    });
  });
});
