// Lint rules that catch what the type checker does not: promises nobody awaits or handles, and promises passed where a
// plain callback is expected (an event handler that rejects is an unhandled rejection), and lines over 140 columns.
// Formatting is prettier's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'soak/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // prettier wraps code at 140 but cannot split a long string or comment; this catches those.
      'max-len': ['error', { code: 140, tabWidth: 2 }],
    },
  },
);
