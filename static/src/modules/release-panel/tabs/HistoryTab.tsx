import Button from '@atlaskit/button/new';
import { Stack, Text } from '@atlaskit/primitives';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../shared';
import { AuditChanges, EMPTY_REFS, mergeRefs, useAuditRenderer } from '../../../shared/audit';
import { Loading } from '../../../shared/ui/Loading';
import { AlertText } from '../../../shared/ui/form';
import { listReleaseAudit, type AuditEntry } from '../api';
import { usePanel } from '../context';
import { Empty, Section, SimpleTable } from '../layout';
import type { AuditRefs } from '../../../../../src/contracts/views';

interface Trail {
  items: AuditEntry[];
  cursor: string | undefined;
  refs: AuditRefs;
}

/**
 * The release's audit trail, newest first, in the reader's words: the action's name, each changed field by
 * its label with values formatted (people by name, times in the viewer's zone, codes translated) and the reason.
 * Read from `audit/list` when the tab opens (names come with the page), and again after each change.
 */
export function HistoryTab() {
  const { view } = usePanel();
  const { t, format } = useI18n();
  const [trail, setTrail] = useState<Trail | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const newest = view.history[0]?.id ?? '';
  const { render, who } = useAuditRenderer(trail?.refs ?? EMPTY_REFS);

  useEffect(() => {
    let live = true;
    setFailed(false);
    listReleaseAudit({ projectId: view.projectId, releaseId: view.releaseId, limit: 20 }).then(
      (page) => live && setTrail({ items: page.items, cursor: page.cursor, refs: page.refs }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
    // A new newest event (a change made meanwhile) reloads the first page.
  }, [view.projectId, view.releaseId, newest]);

  async function more() {
    if (!trail?.cursor) return;
    setBusy(true);
    setFailed(false);
    try {
      const page = await listReleaseAudit({ projectId: view.projectId, releaseId: view.releaseId, cursor: trail.cursor, limit: 20 });
      const seen = new Set(trail.items.map((e) => e.id));
      setTrail({ items: [...trail.items, ...page.items.filter((e) => !seen.has(e.id))], cursor: page.cursor, refs: mergeRefs(trail.refs, page.refs) });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  if (!trail || !render) {
    return <Section title={t('panel.history.title')} testId="rg-history">{failed ? <AlertText>{t('panel.history.failed')}</AlertText> : <Loading label={t('panel.history.loading')} />}</Section>;
  }
  return (
    <Section title={t('panel.history.title')} testId="rg-history">
      {trail.items.length === 0 ? (
        <Empty>{t('panel.history.none')}</Empty>
      ) : (
        <SimpleTable
          caption={t('panel.history.title')}
          testId="rg-history-table"
          head={[t('panel.history.when'), t('panel.history.who'), t('panel.history.what'), t('panel.history.change')]}
          rows={trail.items.map((e) => {
            const r = render(e);
            return [
              format.dateTime(e.at),
              <span key="who" title={e.actorAccountId === 'app' || e.actorAccountId.startsWith('pipeline:') ? undefined : e.actorAccountId}>{who(e)}</span>,
              r.action,
              <Stack key="changes" space="space.050">
                {r.reason ? (
                  <Text weight="semibold" size="small">
                    {t('panel.history.reasonLine', { reason: r.reason })}
                  </Text>
                ) : null}
                <AuditChanges event={r} />
              </Stack>,
            ];
          })}
        />
      )}
      {trail.cursor ? (
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
