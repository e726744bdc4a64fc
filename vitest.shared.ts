import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

/** The project config every package uses: reflect-metadata loaded, generous timeouts for real servers. */
export function stratusProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [setupFile],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
