import { defineConfig } from 'vitest/config';

// One vitest run over every package; each package's own vitest.config.ts defines its project.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'providers/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
  },
});
