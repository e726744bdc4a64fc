import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportPath = join(packageDir, 'etc', 'plugin-api.api.d.ts');

/** Every public declaration of the package, as tsc would publish it, in one deterministic text. */
function emitDeclarations(): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(packageDir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('could not read tsconfig.json');
  const options: ts.CompilerOptions = {
    ...parsed.options,
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    sourceMap: false,
    composite: false,
    incremental: false,
    noEmit: false,
    outDir: join(packageDir, '.api-report-out'),
  };
  const program = ts.createProgram(parsed.fileNames, options);
  const files = new Map<string, string>();
  const result = program.emit(undefined, (fileName, text) => files.set(basename(fileName), text), undefined, true);
  const errors = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0)
    throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => packageDir, getNewLine: () => '\n' }));
  return [...files.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, text]) => `// ---- ${file} ----\n${text.replace(/\r\n/g, '\n').trim()}\n`)
    .join('\n');
}

describe('@stratus/plugin-api public surface', () => {
  it('matches the committed API report (run `pnpm --filter @stratus/plugin-api api:update` after an intended change, and bump the version accordingly)', () => {
    const current = emitDeclarations();
    if (process.env.UPDATE_API_REPORT === '1' || !existsSync(reportPath)) {
      if (process.env.CI && !existsSync(reportPath)) throw new Error('API report missing');
      writeFileSync(reportPath, current);
    }
    expect(current).toBe(readFileSync(reportPath, 'utf8'));
  });
});
