import Button from '@atlaskit/button/new';
import { useState } from 'react';
import { useI18n } from '../../../shared';
import { AlertText } from '../../../shared/ui/form';
import { listReleaseAudit, type AuditEntry } from '../api';
import { usePanel } from '../context';
import { Empty, Section, SimpleTable } from '../layout';

/** Fields whose before/after say nothing a reader needs (the status change says it already). */
const QUIET = new Set(['statusEnteredAt', 'version']);

const short = (v: string) => (v.length > 80 ? `${v.slice(0, 77)}…` : v);
const isStructured = (v: string) => /^[[{]/.test(v.trim());

/** One line per field that changed: `status: VERIFYING → CLOSED`, or the field's new value when it was new. */
function describeChange(before: Record<string, unknown>, after: Record<string, unknown>, updated: string): string {
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter((k) => !QUIET.has(k));
  return keys
    .map((k) => {
      const a = after[k] === undefined ? undefined : String(after[k]);
      const b = before[k] === undefined ? undefined : String(before[k]);
      if (a !== undefined && isStructured(a)) return `${k} ${updated}`;
      if (b !== undefined && a !== undefined && b !== 'null' && !isStructured(b)) return `${k}: ${short(b)} → ${short(a)}`;
      return `${k}: ${short(a ?? b ?? '')}`;
    })
    .join('; ');
}

/** Older pages fetched in this view of the panel; `base` ties them to the first page they continue. */
interface Older {
  base: string;
  items: AuditEntry[];
  cursor: string | undefined;
}

/** The release's audit events, newest first: the panel read carries the first page, `audit/list` the older ones. */
export function HistoryTab() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const base = `${view.history[0]?.id ?? ''}|${view.historyCursor ?? ''}`;
  const [older, setOlder] = useState<Older | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  // A reload of the panel brings a new first page: what was paged before no longer follows it.
  const mine = older?.base === base ? older : null;
  const seen = new Set(view.history.map((e) => e.id));
  const events = [...view.history, ...(mine?.items ?? []).filter((e) => !seen.has(e.id))];
  const cursor = mine ? mine.cursor : view.historyCursor;

  async function more() {
    if (!cursor) return;
    setBusy(true);
    setFailed(false);
    try {
      const page = await listReleaseAudit({ projectId: view.projectId, releaseId: view.releaseId, cursor, limit: 20 });
      setOlder({ base, items: [...(mine?.items ?? []), ...page.items], cursor: page.cursor });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  // A pipeline acts as `pipeline:<token id>`; the event names it ("pipeline <name>").
  const actor = (e: AuditEntry) => (e.actorAccountId.startsWith('pipeline:') ? t('panel.history.pipeline', { name: String(e.after.pipeline ?? '') }) : person(e.actorAccountId));
  const label = (action: string) => {
    // Audit actions are the domain's action names, sometimes with a detail (`manageTraining.create`).
    const [base = action, detail] = action.split('.');
    const word = vocab.word('action', base);
    return detail ? `${word} (${detail})` : word;
  };
  return (
    <Section title={t('panel.history.title')} testId="rg-history">
      {events.length === 0 ? (
        <Empty>{t('panel.history.none')}</Empty>
      ) : (
        <SimpleTable
          caption={t('panel.history.title')}
          testId="rg-history-table"
          head={[t('panel.history.when'), t('panel.history.who'), t('panel.history.what'), t('panel.history.change')]}
          rows={events.map((e) => [format.dateTime(e.at), actor(e), label(e.action), describeChange(e.before, e.after, t('panel.history.updated')) || '—'])}
        />
      )}
      {cursor ? (
        <div>
          <Button onClick={() => void more()} isLoading={busy} testId="rg-history-older">
            {busy ? t('panel.history.olderLoading') : t('panel.history.older')}
          </Button>
        </div>
      ) : null}
      {failed ? <AlertText>{t('panel.history.olderFailed')}</AlertText> : null}
    </Section>
  );
}
