import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'stratus-example-build.lock');
const STALE_MS = 300_000;

/**
 * Runs `work` while holding a machine-wide lock, so the tests that build and pack workspace packages
 * (packed install, publint) never run `tsc -b` or `pnpm pack` over the same `dist` at once. The lock
 * is a directory (mkdir is atomic); one left behind by a killed run is taken over after 5 minutes.
 */
export async function withBuildLock<T>(work: () => Promise<T> | T): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
