// Lint for the whole tree: typescript-eslint's type-aware rules (floating promises, unsafe
// any) on the service code; tests and benches keep the promise rules but may use `any`
// for the JSON bodies they inspect. Formatting is Prettier's job (eslint-config-prettier).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', '.local/', 'coverage/', '.tap/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // tap's t.test() and friends return a promise that tap itself awaits.
        {
          allowForKnownSafeCalls: [{ from: 'package', package: '@tapjs/test', name: ['test', 'skip', 'todo', 'only'] }],
        },
      ],
      // Fastify handlers and hooks are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Two checkers stop early by throwing a light value of their own (no stack to capture per row).
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: ['Rejection', 'StopChecking'] }] },
      ],
    },
  },
  {
    // Issue 11: no function in src/ over 150 lines (blank lines and comments not counted), so
    // that each one can be read and tested as one thing. Tests and benches are not held to it.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 150, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Still to split (issue 11 part 2): remove a file from this list when its long function is.
    // The route plugins are the adapters' owner's, in the middle of their own rework.
    files: [
      'src/achievements/batches/routes.ts',
      'src/catalogue/routes.ts',
      'src/cli.ts',
      'src/identity/identity-routes.ts',
      'src/learners/record/routes.ts',
      'src/operations/routes.ts',
    ],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowArray: true, allowNumber: true, allowNever: true },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  prettier,
);
