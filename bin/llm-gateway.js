#!/usr/bin/env node
// `npx llm-gateway ...`: the key-management CLI. It runs bin/cli.ts through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
