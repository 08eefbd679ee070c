#!/usr/bin/env node
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfigFile } from '../lambdas/config/load.js';
import { orExitOnConfigError } from '../lib/config-exit.js';
import { deploySettings } from '../lib/deploy-settings.js';
import { GatewayStack } from '../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../lib/paths.js';

const app = new App();

const configFile = process.env.GATEWAY_CONFIG ? resolve(process.env.GATEWAY_CONFIG) : DEFAULT_CONFIG_FILE;
// A bad configuration (the file, the deploy settings, or deadlines that cannot fit the function) fails synth with the
// validator's message and exit code 1 (no stack trace), not a broken deployment.
const config = orExitOnConfigError(() => loadConfigFile(configFile));
// `cdk deploy -c stackName=LlmGatewayStaging -c stage=staging` (or GATEWAY_STACK_NAME, GATEWAY_STAGE): stacks side by
// side in one account and region, each with its own metrics namespace, dashboard and alarms (lib/deploy-settings.ts).
const settings = orExitOnConfigError(() => deploySettings((key) => app.node.tryGetContext(key)));

orExitOnConfigError(
  () =>
    new GatewayStack(app, settings.stackName, {
      description: 'LLM Gateway: an OpenAI-compatible gateway to LLM providers',
      config,
      configFile,
      stage: settings.stage,
      metricsNamespace: settings.metricsNamespace,
      apiGatewayAccount: settings.apiGatewayAccount,
    }),
);

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
