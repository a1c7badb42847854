/**
 * Two libraries in the UI carry a `Function(...)` constructor as a fallback that never runs in a browser:
 * lodash's `_root.js` (used only when neither `global` nor `self` exists) and Babel's
 * `@babel/runtime/regenerator` (used only when `globalThis` is missing). Forge's Content-Security-Policy
 * forbids `eval` and `new Function`, and a reviewer scanning the bundle should find none, so the build
 * replaces each fallback with `globalThis`. The match is exact: if a library changes its source, the build
 * fails here instead of shipping a constructor quietly (test/contract/csp-bundle.test.ts checks the output).
 */
const REWRITES: readonly { file: RegExp; from: string; to: string }[] = [
  { file: /[\\/]node_modules[\\/]lodash[\\/]_root\.js$/, from: "Function('return this')()", to: 'globalThis' },
  { file: /[\\/]node_modules[\\/]@babel[\\/]runtime[\\/]regenerator[\\/]index\.js$/, from: 'Function("r", "regeneratorRuntime = r")(runtime);', to: 'globalThis.regeneratorRuntime = runtime;' },
];

/** The part of Vite's (Rollup's) plugin interface this uses; typed here so that the root tsconfig, which checks the test, needs no vite types. */
export interface TransformPlugin {
  name: string;
  enforce: 'pre';
  transform(this: { error(message: string): never }, code: string, id: string): { code: string; map: null } | null;
}

export function noEvalFallbacks(): TransformPlugin {
  return {
    name: 'rg-no-eval-fallbacks',
    enforce: 'pre',
    transform(code, id) {
      const rule = REWRITES.find((r) => r.file.test(id));
      if (!rule) return null;
      if (!code.includes(rule.from)) this.error(`${id} no longer contains ${rule.from}: check it for eval or new Function and update static/build-support/no-eval.ts`);
      return { code: code.split(rule.from).join(rule.to), map: null };
    },
  };
}
