/**
 * Writes the deployment gate's static outputs into manifest.yml (the `webtrigger` module `deployment-gate`),
 * generated from src/contracts/pipeline.ts and the English locale. `npm run gen:webtrigger`; a test fails
 * when manifest.yml and this generator disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { gateOutputs } from './webtrigger-outputs-lib';

const path = join(__dirname, '..', 'manifest.yml');
const doc = parseDocument(readFileSync(path, 'utf8'));
const list = doc.getIn(['modules', 'webtrigger']) as { items?: { get(k: string): unknown; setIn(p: string[], v: unknown): void }[] } | undefined;
const gate = list?.items?.find((m) => m.get('key') === 'deployment-gate');
if (!gate) throw new Error('manifest.yml has no webtrigger module deployment-gate');
gate.setIn(['response', 'outputs'], doc.createNode(gateOutputs()));
writeFileSync(path, doc.toString({ lineWidth: 0 }));
console.log(`deployment-gate: ${gateOutputs().length} outputs written to manifest.yml`);
