#!/usr/bin/env node
// The svcflow command: runs the compiled CLI (dist/), compiling it first when a checkout's sources are newer.
import { pathToFileURL } from 'node:url';
import { ensureCompiled } from './ensure-compiled.mjs';

await import(pathToFileURL(ensureCompiled()).href);
