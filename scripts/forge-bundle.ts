/**
 * Packages the app's functions with `@forge/bundler`, the bundler `forge deploy` uses (webpack + ts-loader over
 * the handlers manifest.yml names, target node18, `[name].cjs`, locale files into `__LOCALES__`), into
 * `.forge-bundle/`. Exits non-zero on whatever would fail a deploy's packaging step (a type error in a bundled
 * file, an unresolvable import, a handler file missing). The bundle smoke test (test/bundle/) runs the local
 * platform against this output, so the artifact that deploys is the one tested.
 *
 * What it cannot do offline: fetch Forge's runtime wrapper (`__forge__.cjs`, downloaded from Atlassian's CDN by
 * `forge deploy`); a placeholder stands in and the local platform plays the wrapper's part.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { getEntryPoints, getNodeBundler, type BundlerOutput } from '@forge/bundler';
import { ConfigFile, FileSystemReader, FileSystemWriter, I18nResourceBundlingService, type Logger } from '@forge/cli-shared';

export const ROOT = resolve(__dirname, '..');
export const BUNDLE_DIR = join(ROOT, '.forge-bundle');

const logger: Logger = {
  traceEnabled: false,
  debugEnabled: false,
  trace: () => undefined,
  debug: () => undefined,
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`bundler warning: ${m}\n`),
  error: (e) => process.stderr.write(`bundler error: ${e.message}\n`),
};

const placeholderRuntime = { script: '/* Forge runtime wrapper: fetched by `forge deploy`, played by the local platform here */\n', source: 'local', version: 'local' };

export interface BundleResult {
  dir: string;
  files: string[];
  ms: number;
}

/** Bundles the app in `appDir` (default: this one) into `outDir` (default `.forge-bundle/`), replacing what was there. */
export async function bundleFunctions(outDir: string = BUNDLE_DIR, appDir: string = ROOT): Promise<BundleResult> {
  const started = Date.now();
  const cwd = process.cwd();
  process.chdir(appDir); // the bundler and ConfigFile read manifest.yml and src/ relative to the app directory
  try {
    const config = new ConfigFile(new FileSystemReader(), new FileSystemWriter());
    const manifest = await config.readConfig();
    const handlers = await config.getAppHandlers();
    for (const h of handlers) {
      if (!['.ts', '.tsx', '.js'].some((ext) => existsSync(join(appDir, 'src', `${h.module}${ext}`)))) {
        throw new Error(`manifest.yml names handler file src/${h.module} that does not exist`);
      }
    }
    const i18nResourceBundle = await new I18nResourceBundlingService().bundle(manifest.modules, manifest.translations);
    const bundler = getNodeBundler(logger, { getNodeRuntimeWrapper: async () => placeholderRuntime, getNodeRuntimeLoader: async () => placeholderRuntime }, config);
    const output: BundlerOutput = await bundler.bundle({
      appDirectory: appDir,
      entryPoints: getEntryPoints(handlers),
      ...(manifest.translations ? { i18nConfig: manifest.translations } : {}),
      i18nResourceBundle,
    });
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    cpSync(output.outputDir, outDir, { recursive: true });
    const files: string[] = [];
    for (const [name, content] of output.additionalOutputs ?? new Map<string, string | Buffer>()) {
      const target = join(outDir, name);
      mkdirSync(dirname(target), { recursive: true });
      // A string is a file to copy (locale files); a Buffer is content.
      if (typeof content === 'string') cpSync(content, target);
      else writeFileSync(target, content);
      files.push(name);
    }
    writeFileSync(join(outDir, 'bundle-info.json'), JSON.stringify({ builtAt: new Date().toISOString(), handlers, modules: output.metadata?.modules ?? [] }, null, 2));
    return { dir: outDir, files, ms: Date.now() - started };
  } finally {
    process.chdir(cwd);
  }
}

if (require.main === module) {
  bundleFunctions()
    .then((r) => {
      process.stdout.write(`@forge/bundler: functions packaged into ${r.dir} in ${(r.ms / 1000).toFixed(1)} s\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`@forge/bundler failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
