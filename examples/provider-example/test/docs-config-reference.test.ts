import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without declarations
import { referenceFile, renderConfigReference } from '../../../scripts/docs-config.mjs';

// The operator guide's config reference is generated from the server's zod schema; a schema change
// without `pnpm docs:config` fails here.
describe('docs/config-reference.md', () => {
  it('matches what `pnpm docs:config` renders from the config schema', async () => {
    const rendered: string = await renderConfigReference();
    expect(rendered).toContain('| `server.port` | integer | `7002` |');
    expect(readFileSync(referenceFile, 'utf8'), 'docs/config-reference.md is stale: run `pnpm docs:config`').toBe(rendered);
  });
});
