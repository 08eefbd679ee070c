#!/usr/bin/env node
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfigFile } from '../lambdas/config/load.js';
import { orExitOnConfigError } from '../lib/config-exit.js';
import { GatewayStack } from '../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../lib/paths.js';

const app = new App();

const configFile = process.env.GATEWAY_CONFIG ? resolve(process.env.GATEWAY_CONFIG) : DEFAULT_CONFIG_FILE;
// A bad configuration (the file, or deadlines that cannot fit the function) fails synth with the validator's message
// and exit code 1 (no stack trace), not a broken deployment.
const config = orExitOnConfigError(() => loadConfigFile(configFile));

orExitOnConfigError(
  () =>
    new GatewayStack(app, 'LlmGateway', {
      description: 'LLM Gateway: an OpenAI-compatible gateway to LLM providers',
      config,
      configFile,
    }),
);

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
