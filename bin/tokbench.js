#!/usr/bin/env node
// The `tokbench` executable: registers tsx so the TypeScript CLI runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
