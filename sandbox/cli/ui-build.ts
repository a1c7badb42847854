import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the Custom UI build is made from (static/ imports src/contracts and src/domain, and the locales). */
const UI_SOURCES = ['static/src', 'static/public', 'static/build-support', 'static/index.html', 'static/vite.config.ts', 'src/contracts', 'src/domain', 'locales', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why the UI needs building, or null when `static/build/index.html` is newer than everything it is built from. */
export function uiBuildReason(root: string): string | null {
  const index = join(root, 'static', 'build', 'index.html');
  if (!existsSync(index)) return 'static/build/index.html is missing';
  const built = statSync(index).mtimeMs;
  const stale = UI_SOURCES.find((p) => newestMtime(join(root, p)) > built);
  return stale ? `${stale} changed since the last build` : null;
}

/** Runs `npm run build:ui` when needed; throws if the build fails. */
export function ensureUiBuilt(root: string, log: (line: string) => void): void {
  const reason = uiBuildReason(root);
  if (!reason) return;
  log(`Building the UI (${reason}): npm run build:ui`);
  const res = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:ui'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`npm run build:ui failed (exit ${res.status ?? res.signal})`);
}
