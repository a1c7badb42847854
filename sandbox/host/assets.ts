import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The host's own browser scripts, written in TypeScript beside the server and transpiled once at start
 * (the sandbox never deploys, so the compiler is at hand). `classic` strips the module marker for a script
 * that must run as a plain `<script>` before the app's modules.
 */
export function transpileClient(file: string, classic: boolean): string {
  const source = readFileSync(join(__dirname, 'client', file), 'utf8');
  const out = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false },
  }).outputText;
  return classic ? out.replace(/^export \{\};?\s*$/m, '') : out;
}

export function readClientFile(file: string): string {
  return readFileSync(join(__dirname, 'client', file), 'utf8');
}
