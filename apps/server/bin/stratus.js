#!/usr/bin/env -S node --max-semi-space-size=64
// A 64 MB young generation (V8 defaults to 16): caching cycles keep each batch alive across awaits,
// and the scavenger copying it was a third of the write path's CPU (see docs/operator-guide.md).
// The `stratus` command: runs the TypeScript sources through tsx's loader (no build step needed).
// The workspace's base tsconfig applies to every package, so decorators compile in core too.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../../../tsconfig.base.json', import.meta.url).pathname });
await import('../src/main.ts');
