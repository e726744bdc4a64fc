// ESLint for the whole repository (`pnpm lint`). The rules are chosen for bugs they catch, not for
// layout: formatting is Prettier's job (`pnpm format`). Type-aware rules use tsconfig.test.json,
// which covers sources, tests, benches and vitest configs in one program.
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const tsFiles = ['**/*.ts'];
const testFiles = [
  '**/*.test.ts',
  '**/test/**',
  '**/test-support/**',
  '**/bench/**',
  '**/*.bench.ts',
  '**/testing/src/**',
  'vitest.*.ts',
  '**/vitest.config.ts',
];

export default defineConfig(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.api-report-out/**', '.tmp/**', 'packages/plugin-api/etc/**'] },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }] },
  },
  {
    files: ['apps/server/console/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: tsFiles,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: an un-awaited rejection crashes the process or is lost; an async callback where a
      // void one is expected (event emitters, Express handlers, timers) swallows its failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `any` needs a reason: `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- why`.
      '@typescript-eslint/no-explicit-any': 'error',
      // Type-only imports vanish at run time (isolatedModules): say so, so no import is kept for a type.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `let server; … handler uses server …; server = …` is how a fake refers to itself.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The type checker already reports undefined names, with the right globals per file.
      'no-undef': 'off',
    },
  },
  {
    // Size limits for production code (issue 17): a file over ~400 lines or a function over ~80 is
    // usually two things in one; the rare exception says why in its disable comment. Blank lines
    // and comments don't count, so explaining code never pushes it over. Tests are exempt (see below).
    files: tsFiles,
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: testFiles,
    rules: {
      // A test file's describe block is one function holding every case, and a contract suite is one
      // long list of cases by design: the limits would only force arbitrary splits there.
      'max-lines': 'off',
      'max-lines-per-function': 'off',
      // Tests poke at wire JSON and fakes; `any` there is a test's business.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
