import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TRANSPORT_ERROR_CODES } from '../../src/contracts/envelope';
import { REASON_CODES } from '../../src/domain';
import { serverMessageKey } from '../../src/resolvers/envelope';

/**
 * Resolvers answer codes and parameters; the UI says them from locales/ in the user's language (Forge's
 * resolver context carries no locale). So every code the server can answer needs its key in both languages:
 * transport codes, domain reasons, and every `messageKey` a use case passes (found in the sources, so that
 * adding one without its text fails here).
 */
type Tree = { [k: string]: string | Tree };
const root = join(__dirname, '..', '..');
const en = JSON.parse(readFileSync(join(root, 'locales', 'en-US.json'), 'utf8')) as Tree;
const zh = JSON.parse(readFileSync(join(root, 'locales', 'zh-CN.json'), 'utf8')) as Tree;
const lookup = (tree: Tree, key: string): unknown => key.split('.').reduce<unknown>((n, p) => (typeof n === 'object' && n !== null ? (n as Tree)[p] : undefined), tree);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === '__tests__') return [];
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const messageKeys = new Set<string>();
for (const file of sources(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/badInput\(\s*[^,]+,\s*'([^']+)'\s*\)/g)) messageKeys.add(m[1] as string);
  for (const m of text.matchAll(/messageKey:\s*'([^']+)'/g)) messageKeys.add(m[1] as string);
}

const serverKeys = [
  ...TRANSPORT_ERROR_CODES.map((c) => serverMessageKey(c)),
  'server.error.VALIDATION_FAILED_NO_FIELD',
  ...REASON_CODES.map((c) => serverMessageKey(c)),
  // A literal that is already a full locale key (a note such as server.freezeInForce) is checked as is.
  ...[...messageKeys].map((k) => (/^(server|reason)\./.test(k) ? k : serverMessageKey('VALIDATION_FAILED', k))),
];

describe('every message the server can answer has text in both languages', () => {
  it('found the use cases’ message keys in the sources', () => {
    expect(messageKeys.size).toBeGreaterThan(5);
  });
  test.each(serverKeys.map((k) => [k]))('%s', (key) => {
    const e = lookup(en, key);
    const z = lookup(zh, key);
    expect(typeof e).toBe('string');
    expect(typeof z).toBe('string');
    expect(z as string).toMatch(/[\u4e00-\u9fff]/);
    // Placeholders agree, so a parameter the server sends shows in both languages.
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(holes(z as string)).toEqual(holes(e as string));
  });
});

describe('the UI says a coded error in the user’s language', () => {
  // The renderer the Custom UI installs at start (static/src/shared/i18n/serverMessages.ts).
  const load = async () => import('../../static/src/shared/i18n/serverMessages');

  it('renders messageKey with its params, and every reason of a refusal, in Chinese', async () => {
    const { loadServerMessages, renderServerError } = await load();
    const zhMessages = await loadServerMessages('zh-CN');
    expect(renderServerError(zhMessages, { messageKey: 'server.error.UNKNOWN_RESOLVER' })).toBe(lookup(zh, 'server.error.UNKNOWN_RESOLVER'));
    expect(renderServerError(zhMessages, { messageKey: 'server.error.VALIDATION_FAILED', params: { field: 'summary' } })).toBe(
      String(lookup(zh, 'server.error.VALIDATION_FAILED')).replace('{field}', 'summary'),
    );
    expect(renderServerError(zhMessages, { messageKey: 'reason.GATE_NO_LEAD', reasons: ['GATE_NO_CLASSIFICATION', 'GATE_NO_LEAD'] })).toBe(
      `${String(lookup(zh, 'reason.GATE_NO_CLASSIFICATION'))} ${String(lookup(zh, 'reason.GATE_NO_LEAD'))}`,
    );
  });

  it('adds the notes after the message (the change freeze in force), in the same language', async () => {
    const { loadServerMessages, renderServerError } = await load();
    const zhMessages = await loadServerMessages('zh-CN');
    const note = { messageKey: 'server.freezeInForce', params: { freeze: '年末冻结', until: '2026-12-31 18:00', timeZone: 'Asia/Shanghai' } };
    const said = renderServerError(zhMessages, { messageKey: 'reason.GATE_HARD_FREEZE', reasons: ['GATE_HARD_FREEZE'], notes: [note] });
    expect(said).toBe(
      `${String(lookup(zh, 'reason.GATE_HARD_FREEZE'))} ${String(lookup(zh, 'server.freezeInForce')).replace('{freeze}', '年末冻结').replace('{until}', '2026-12-31 18:00').replace('{timeZone}', 'Asia/Shanghai')}`,
    );
    expect(renderServerError(zhMessages, { messageKey: 'reason.GATE_HARD_FREEZE', notes: [{ messageKey: 'server.nothing' }] })).toBeUndefined();
  });

  it('falls back to English for a key only English has, and to the server’s message for anything unknown', async () => {
    const { renderServerError } = await load();
    const partial = { primary: { server: { error: {} } }, fallback: { server: { error: { NOT_FOUND: 'Not found.' } } } };
    expect(renderServerError(partial, { messageKey: 'server.error.NOT_FOUND' })).toBe('Not found.');
    expect(renderServerError(partial, { messageKey: 'server.error.NO_SUCH_CODE' })).toBeUndefined();
    expect(renderServerError(partial, { messageKey: 'server.constructor' })).toBeUndefined();
    expect(renderServerError(partial, { messageKey: 'ui.common.loading' })).toBeUndefined();
  });
});
