#!/usr/bin/env node
// The `stratus` command: runs the TypeScript sources through tsx's loader (no build step needed).
// The workspace's base tsconfig applies to every package, so decorators compile in core too.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../../../tsconfig.base.json', import.meta.url).pathname });
await import('../src/main.ts');
