#!/usr/bin/env node
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfigFile } from '../lambdas/config/load.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import { GatewayStack } from '../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../lib/paths.js';

const app = new App();

/** A bad configuration fails synth with the validator's message (no stack trace), not a broken deployment. */
function loadConfigOrExit(file: string): GatewayConfig {
  try {
    return loadConfigFile(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

const configFile = process.env.GATEWAY_CONFIG ? resolve(process.env.GATEWAY_CONFIG) : DEFAULT_CONFIG_FILE;
const config = loadConfigOrExit(configFile);

new GatewayStack(app, 'LlmGateway', {
  description: 'LLM Gateway: an OpenAI-compatible gateway to LLM providers',
  config,
  configFile,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
