import { useI18n } from '../../../shared';
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

/** The release's audit events, newest first (the panel read carries the first page). */
export function HistoryTab() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const label = (action: string) => {
    // Audit actions are the domain's action names, sometimes with a detail (`manageTraining.create`).
    const [base = action, detail] = action.split('.');
    const word = vocab.word('action', base);
    return detail ? `${word} (${detail})` : word;
  };
  return (
    <Section title={t('panel.history.title')} testId="rg-history">
      {view.history.length === 0 ? (
        <Empty>{t('panel.history.none')}</Empty>
      ) : (
        <SimpleTable
          caption={t('panel.history.title')}
          testId="rg-history-table"
          head={[t('panel.history.when'), t('panel.history.who'), t('panel.history.what'), t('panel.history.change')]}
          rows={view.history.map((e) => [format.dateTime(e.at), person(e.actorAccountId), label(e.action), describeChange(e.before, e.after, t('panel.history.updated')) || '—'])}
        />
      )}
      {view.historyCursor ? <Empty>{t('panel.history.more')}</Empty> : null}
    </Section>
  );
}
