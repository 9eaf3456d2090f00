#!/usr/bin/env node
// Entry point for `npx hedgekit`: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
