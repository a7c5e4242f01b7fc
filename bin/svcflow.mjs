#!/usr/bin/env node
// The svcflow command: runs the TypeScript CLI through tsx's ESM loader, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/main.ts');
