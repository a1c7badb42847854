import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { decide } from '../../../../../src/domain/decide';
import { DEFAULT_POLICY } from '../../../../../src/domain/policy';
import { useI18n } from '../../../shared';
import { usePanel } from '../context';
import { Empty, Section, SimpleTable } from '../layout';
import { DSL_TAB_READY, DslTab } from '../software';
import type { DslItemSummary } from '../api';
import type { MessageKey } from '../../../shared';

const DSL_STATUS: Record<DslItemSummary['status'], MessageKey> = {
  REGISTERED: 'panel.software.statuses.REGISTERED',
  APPROVED: 'panel.software.statuses.APPROVED',
  IN_LIBRARY: 'panel.software.statuses.IN_LIBRARY',
  CHECKED_OUT: 'panel.software.statuses.CHECKED_OUT',
  SUPERSEDED: 'panel.software.statuses.SUPERSEDED',
  RETIRED: 'panel.software.statuses.RETIRED',
};

/** The release's DSL items. The DSL actions come from `../software/` (owned by the DSL work) once it is ready. */
export function SoftwareTab() {
  const { view, vocab, reload } = usePanel();
  const { t, format } = useI18n();
  if (DSL_TAB_READY) {
    // Adding an item to this release: the server's decision (software control lead, standing or on this team).
    const ctx = { release: view.release, team: view.team, fallbackPlan: view.fallbackPlan, trainingTasks: view.trainingTasks, dslItems: view.dslItems };
    const link = decide({ accountId: view.actor.accountId, standingRoles: view.actor.standingRoles, canBrowse: true }, ctx, 'dslRegister', Date.now(), DEFAULT_POLICY);
    return (
      <Section title={t('panel.software.title')}>
        <DslTab
          releaseId={view.releaseId}
          projectId={view.projectId}
          items={view.dslItems}
          onChanged={reload}
          cmdbTaskOf={view.release.status === 'CLOSED' && view.release.outcome === 'SUCCESS' ? view.issueKey : null}
          linkRefusal={link.allowed ? null : vocab.reasons(link.reasons).join(' ')}
        />
      </Section>
    );
  }
  return (
    <Stack space="space.200">
      <Section title={t('panel.software.title')} testId="rg-software">
        {view.dslItems.length === 0 ? (
          <Empty>{t('panel.software.none')}</Empty>
        ) : (
          <SimpleTable
            caption={t('panel.software.title')}
            testId="rg-dsl-items"
            head={[t('panel.software.name'), t('panel.software.version'), t('panel.software.status'), t('panel.software.checkedIn')]}
            rows={view.dslItems.map((i) => [
              i.name ?? i.id,
              i.version ?? '—',
              <Lozenge appearance={i.status === 'IN_LIBRARY' ? 'success' : i.status === 'REGISTERED' ? 'new' : 'default'}>{t(DSL_STATUS[i.status])}</Lozenge>,
              i.checkedInAt ? format.dateTime(i.checkedInAt) : '—',
            ])}
          />
        )}
        <div data-testid="rg-dsl-slot">
          <SectionMessage appearance="information" title={t('panel.software.slotTitle')}>
            <Text as="p">{t('panel.software.slot')}</Text>
          </SectionMessage>
        </div>
      </Section>
    </Stack>
  );
}
