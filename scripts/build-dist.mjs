#!/usr/bin/env node
// Compiles every workspace package's TypeScript sources to JavaScript in its dist/, file by file
// (no bundling, no type checking: `pnpm typecheck` does that), so `pnpm start` runs the server on
// Node alone. Packages export their dist/ files under the `stratus-dist` condition (see each
// package.json), which `pnpm start` turns on with `--conditions=stratus-dist`; tests and the
// `stratus` bin in a checkout keep running the sources. Takes a second or two, so start always
// rebuilds and never serves stale JavaScript.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspaceFolders = ['packages', 'providers', 'apps', 'examples'];
// What tsconfig.base.json says that changes emitted code: legacy decorators without metadata
// (every constructor parameter names its token with @inject, so no design:paramtypes is needed).
const tsconfigRaw = {
  compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: false, useDefineForClassFields: true, verbatimModuleSyntax: false },
};

const skipped = (name) => name.endsWith('.test.ts') || name.endsWith('.bench.ts') || name.endsWith('.d.ts');

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !skipped(entry.name)) yield path;
  }
}

let files = 0;
const started = Date.now();
for (const folder of workspaceFolders) {
  const base = join(root, folder);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base)) {
    const src = join(base, name, 'src');
    if (!existsSync(join(base, name, 'package.json')) || !existsSync(src) || !statSync(src).isDirectory()) continue;
    const dist = join(base, name, 'dist');
    await Promise.all(
      [...sources(src)].map(async (file) => {
        const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
        const result = await transform(readFileSync(file, 'utf8'), {
          loader: 'ts',
          format: 'esm',
          target: 'node22',
          sourcemap: 'inline',
          sourcefile: relative(dirname(out), file),
          tsconfigRaw,
        });
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, result.code);
        files += 1;
      }),
    );
  }
}
console.error(`build-dist: ${files} files compiled in ${Date.now() - started} ms`);
