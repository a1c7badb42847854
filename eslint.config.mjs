import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'static/build/', 'static/dist/', 'coverage/', '.data/', '**/*.js', '**/*.cjs', '.forge-bundle/', 'test/fixtures/broken-bundle/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Browser code: the Custom UI build and the local host's page scripts.
    files: ['static/src/**/*.{ts,tsx}', 'sandbox/host/client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
