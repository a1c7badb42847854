import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineOutputs } from '../src/contracts/pipeline';

type Tree = { [k: string]: string | Tree };
const en = JSON.parse(readFileSync(join(__dirname, '..', 'locales', 'en-US.json'), 'utf8')) as Tree;

function text(path: string): string | undefined {
  let node: string | Tree | undefined = en;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** A reason code's text (`reason.*`), else a gate error's (`pipeline.error.*`). */
export function gateMessage(code: string): string {
  const m = text(`reason.${code}`) ?? text(`pipeline.error.${code}`);
  if (!m) throw new Error(`no English text for ${code}`);
  return m;
}

/** The outputs as manifest.yml holds them. */
export function gateOutputs(): { key: string; statusCode: number; contentType: string; body: string }[] {
  return pipelineOutputs(gateMessage).map((o) => ({ key: o.key, statusCode: o.statusCode, contentType: 'application/json', body: JSON.stringify(o.body) }));
}
