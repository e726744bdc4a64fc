import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const loggerModule = fileURLToPath(new URL('./server-logger.ts', import.meta.url));

/**
 * Runs a child that logs three lines through the server logger to its stdout (the production
 * destination) and then does `then`; returns the lines that reached the pipe, and the exit code.
 */
function runChild(buffered: boolean, then: string): { lines: { msg: string; service: string }[]; stdout: string; status: number | null; stderr: string } {
  const script = `
    const { serverLogger } = await import(${JSON.stringify(loggerModule)});
    const logger = serverLogger({ level: 'info', buffered: ${buffered} });
    for (let i = 0; i < 3; i++) logger.info({ i }, 'line ' + i);
    ${then}
  `;
  const run = spawnSync(process.execPath, [...process.execArgv, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; service: string });
  return { lines, stdout: run.stdout, status: run.status, stderr: run.stderr };
}

describe('serverLogger', () => {
  it('buffers lines, and still writes every one when the process ends on its own or calls process.exit', () => {
    for (const [then, code] of [
      ['', 0],
      ['process.exit(3);', 3],
    ] as const) {
      const run = runChild(true, then);
      expect(run.status, run.stderr).toBe(code);
      expect(run.lines.map((line) => line.msg)).toEqual(['line 0', 'line 1', 'line 2']);
      expect(run.lines[0]!.service).toBe('stratus');
    }
  });

  it('writes a buffered line within about a second even when nothing more is logged', () => {
    const run = runChild(
      true,
      `const fs = await import('node:fs');
       await new Promise((resolve) => setTimeout(resolve, 1500));
       fs.writeSync(process.stdout.fd, 'MARK\\n');`,
    );
    expect(run.status, run.stderr).toBe(0);
    // The three lines went out on the timer, before the marker the child wrote 1.5 s later.
    expect(run.stdout.indexOf('"line 2"')).toBeGreaterThanOrEqual(0);
    expect(run.stdout.indexOf('"line 2"')).toBeLessThan(run.stdout.indexOf('MARK'));
  });

  it('holds buffered lines back until the buffer fills or the process ends; unbuffered lines go out at once', () => {
    // A marker written straight to the fd: buffered, the log line comes after it; unbuffered, before it.
    const stdoutOf = (buffered: boolean) =>
      spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `const { serverLogger } = await import(${JSON.stringify(loggerModule)});
           const logger = serverLogger({ level: 'info', buffered: ${buffered} });
           logger.info('before');
           (await import('node:fs')).writeSync(process.stdout.fd, 'MARK\\n');`,
        ],
        { encoding: 'utf8' },
      ).stdout;
    const buffered = stdoutOf(true);
    expect(buffered.indexOf('MARK')).toBeGreaterThanOrEqual(0);
    expect(buffered.indexOf('MARK')).toBeLessThan(buffered.indexOf('"before"'));
    const direct = stdoutOf(false);
    expect(direct.indexOf('"before"')).toBeGreaterThanOrEqual(0);
    expect(direct.indexOf('"before"')).toBeLessThan(direct.indexOf('MARK'));
  });
});
