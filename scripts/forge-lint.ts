/**
 * Atlassian's own checks, offline: `@forge/manifest`'s full validation (what `forge deploy` runs) and
 * `@forge/lint`'s client-side linters, the permission linter included, fed the local copy of Jira's
 * OpenAPI document instead of downloading it. Exits non-zero on any error.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { validate } from '@forge/manifest';
import { lint, PermissionLinter, problemCount, type LintResult } from '@forge/lint';
import { jiraOpenApiPath } from './paths';

const root = resolve(__dirname, '..');

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === '__tests__' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...listSources(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(relative(root, p));
  }
  return out;
}

async function main(): Promise<void> {
  process.chdir(root);
  let failed = false;

  const result = await validate(false, join(root, 'manifest.yml'));
  if (!result.success) {
    failed = true;
    for (const e of result.errors ?? []) {
      console.error(`manifest.yml:${e.line ?? '?'}:${e.column ?? '?'} ${e.level}: ${e.message}`);
    }
  } else {
    console.log('@forge/manifest validate(): no errors');
  }

  const empty = join(mkdtempSync(join(tmpdir(), 'forge-lint-')), 'empty-swagger.json');
  writeFileSync(empty, JSON.stringify({ paths: {} }));
  process.env.USE_LOCAL_SWAGGER = '1';
  process.env.LOCAL_JIRA_SWAGGER = jiraOpenApiPath();
  for (const v of ['LOCAL_CONF_SWAGGER', 'LOCAL_CONF_V2_SWAGGER', 'LOCAL_JSM_SWAGGER', 'LOCAL_JSW_SWAGGER', 'LOCAL_BB_SWAGGER']) {
    process.env[v] = empty;
  }
  const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8'));
  const logger = {
    info: (m: string) => console.log(m),
    warn: (m: string) => console.warn(m),
    debug: () => undefined,
    error: (m: string) => console.error(m),
  };
  const statsig = { getDeprecatedRuntimes: async () => [] as string[] };
  const files = listSources(join(root, 'src'));
  const results: LintResult[] = await lint(
    files,
    manifest,
    'development',
    logger as never,
    statsig as never,
    { linter: { mode: 'client-side' } },
  );
  for (const r of results) {
    for (const e of r.errors) console.error(`${r.file}:${e.line}:${e.column} error: ${e.message}`);
    for (const w of r.warnings) console.warn(`${r.file}:${w.line}:${w.column} warning: ${w.message}`);
  }
  const count = problemCount(results);
  console.log(`@forge/lint (client-side, permission linter included) over ${files.length} files: ${count.errors} errors, ${count.warnings} warnings`);
  if (count.errors > 0 || count.warnings > 0) failed = true;

  // Exactly the scopes the code needs: without any one of them, the permission linter must complain.
  const scopes: string[] = manifest.permissions?.scopes ?? [];
  // The permission linter reads @forge/api's storage but not @forge/kvs, which Forge documents as needing storage:app.
  const usesKvs = files.some((f) => /from '@forge\/kvs'/.test(readFileSync(join(root, f), 'utf8')));
  for (const scope of scopes) {
    if (scope === 'storage:app' && usesKvs) continue;
    const reduced = { ...manifest, permissions: { ...manifest.permissions, scopes: scopes.filter((s) => s !== scope) } };
    const linter = new PermissionLinter('development', reduced, logger as never);
    const withoutIt = await lint(files, reduced, 'development', logger as never, statsig as never, { linter: { mode: 'client-side' }, linters: [linter] });
    if (problemCount(withoutIt).errors === 0) {
      console.error(`manifest.yml: scope '${scope}' is declared but no code needs it`);
      failed = true;
    }
  }
  if (!failed) console.log(`scopes: ${scopes.join(', ')} — each one needed by the code`);
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
