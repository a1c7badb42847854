import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noEvalFallbacks } from '../../static/build-support/no-eval';

/**
 * Forge serves Custom UI under a Content-Security-Policy without `'unsafe-eval'`: nothing in any browser chunk
 * may build code from strings. zod v4 probes `new Function('')` the first time a schema is built (its JIT),
 * so zod must not reach the browser at all; two libraries' never-taken fallbacks are rewritten at build time
 * (static/build-support/no-eval.ts). The browser suite (test/e2e/csp.e2e.test.ts) counts the violations the
 * page actually reports; this test reads what is shipped.
 */
const ASSETS = join(__dirname, '..', '..', 'static', 'build', 'assets');

/** A call of the global Function constructor or eval, or a string handed to a timer, not a property like `x.evaluate(`. */
const CODE_FROM_STRING: readonly [string, RegExp][] = [
  ['Function constructor', /(?<![\w$.])(?:new\s+)?Function\s*\(/],
  ['eval', /(?<![\w$.])eval\s*\(/],
  ['string timer', /(?<![\w$.])set(?:Timeout|Interval)\s*\(\s*[`'"]/],
];

function chunks(): { name: string; code: string }[] {
  if (!existsSync(ASSETS)) throw new Error('static/build is missing: run `npm run build:ui` first');
  return readdirSync(ASSETS)
    .filter((f) => f.endsWith('.js'))
    .map((name) => ({ name, code: readFileSync(join(ASSETS, name), 'utf8') }));
}

describe('browser bundle and the CSP', () => {
  it('has no eval, no Function constructor and no string timers in any chunk', () => {
    const found = chunks().flatMap(({ name, code }) =>
      CODE_FROM_STRING.flatMap(([what, re]) => {
        const m = re.exec(code);
        return m ? [`${name}: ${what} at ${m.index}: …${code.slice(Math.max(0, m.index - 60), m.index + 40)}…`] : [];
      }),
    );
    expect(found).toEqual([]);
  });

  it('carries no zod (its JIT probe is what Forge would report)', () => {
    const withZod = chunks()
      .filter(({ code }) => /\$ZodType|ZodError|allowsEval/.test(code))
      .map((c) => c.name);
    expect(withZod).toEqual([]);
  });

  it('the detector finds what it looks for (so a clean result means something)', () => {
    const samples = ['x=Function(`return this`)()', 'new Function("a","return a")', 'eval("1")', 'setTimeout("go()",1)'];
    for (const s of samples) expect(CODE_FROM_STRING.some(([, re]) => re.test(s))).toBe(true);
    for (const s of ['a.evaluate(x)', 'e.dynamicTypingFunction(t)', 'MSApp.execUnsafeLocalFunction(function(){})', 'setTimeout(() => 1, 5)']) {
      expect(CODE_FROM_STRING.some(([, re]) => re.test(s))).toBe(false);
    }
  });

  it('the build rewrite fails loudly when a library no longer has the fallback it expects', () => {
    const plugin = noEvalFallbacks();
    const transform = plugin.transform;
    const ctx = { error: (m: string): never => { throw new Error(m); } };
    expect(transform.call(ctx, "var root = freeGlobal || freeSelf || Function('return this')();", '/x/node_modules/lodash/_root.js')?.code).toBe('var root = freeGlobal || freeSelf || globalThis;');
    expect(() => transform.call(ctx, 'var root = somethingElse;', '/x/node_modules/lodash/_root.js')).toThrow(/no longer contains/);
    expect(transform.call(ctx, 'Function("x")', '/x/node_modules/other/index.js')).toBeNull();
  });
});
