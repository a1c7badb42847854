import Resolver from '@forge/resolver';
import { listNotes, addNote } from '../services/example-notes';

const resolver = new Resolver();

resolver.define('example/listNotes', async ({ context }) => {
  const issueKey = String((context.extension as { issue?: { key?: string } } | undefined)?.issue?.key ?? '');
  return { ok: true, data: await listNotes(issueKey) };
});

resolver.define('example/addNote', async ({ payload, context }) => {
  const issueKey = String((context.extension as { issue?: { key?: string } } | undefined)?.issue?.key ?? '');
  const text = typeof payload.text === 'string' ? payload.text.slice(0, 500) : '';
  if (!issueKey || !text) return { ok: false, error: { code: 'BAD_INPUT', message: 'issue and text are required' } };
  return { ok: true, data: await addNote(issueKey, text, String(context.accountId ?? ''), Date.now()) };
});

const definitions = resolver.getDefinitions();
export { definitions as resolver };
