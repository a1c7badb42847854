import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { noEvalFallbacks } from './build-support/no-eval';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One Custom UI build for every module of manifest.yml (resource `main` → static/build).
 * Forge serves a resource under its own path, so asset URLs are relative (`base: './'`).
 * No React plugin: Vite's own oxc transform compiles JSX with the automatic runtime.
 */
export default defineConfig({
  root,
  base: './',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic' } },
  // No eval or new Function in any chunk (Forge's CSP): see build-support/no-eval.ts.
  plugins: [noEvalFallbacks()],
  resolve: {
    alias: {
      '@atlaskit/feature-gate-js-client/feature-gates': fileURLToPath(new URL('./build-support/feature-gates-stub.ts', import.meta.url)),
    },
  },
  define: {
    // Atlaskit reads a few process.env flags besides NODE_ENV; the browser has no `process`.
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  build: {
    outDir: 'build',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
