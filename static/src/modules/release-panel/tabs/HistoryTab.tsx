import { useI18n } from '../../../shared';
import { usePanel } from '../context';
import { Empty, Section, SimpleTable } from '../layout';

const summarise = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, raw]) => {
      const v = String(raw);
      return `${k}: ${v.length > 120 ? `${v.slice(0, 117)}…` : v}`;
    })
    .join('; ');

/** The release's audit events, newest first (the panel read carries the first page). */
export function HistoryTab() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const known = new Set(view.actions.map((a) => a.action as string).concat(['submitRelease']));
  const label = (action: string) => (known.has(action) ? vocab.word('action', action) : action);
  return (
    <Section title={t('panel.history.title')} testId="rg-history">
      {view.history.length === 0 ? (
        <Empty>{t('panel.history.none')}</Empty>
      ) : (
        <SimpleTable
          caption={t('panel.history.title')}
          testId="rg-history-table"
          head={[t('panel.history.when'), t('panel.history.who'), t('panel.history.what'), t('panel.history.before'), t('panel.history.after')]}
          rows={view.history.map((e) => [format.dateTime(e.at), person(e.actorAccountId), label(e.action), summarise(e.before) || '—', summarise(e.after) || '—'])}
        />
      )}
      {view.historyCursor ? <Empty>{t('panel.history.more')}</Empty> : null}
    </Section>
  );
}
