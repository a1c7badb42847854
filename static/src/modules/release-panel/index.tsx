import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, Loading, ModuleFrame, notify, ResolverError, useI18n, useProductContext } from '../../shared';
import { Person, setPeopleProject, useNames } from '../../shared/people';
import { loadVocabulary, type Vocabulary } from '../../shared/vocabulary';
import { getPanel, runAction, type PanelView, type Release, type ReleaseAction } from './api';
import { PanelProvider, type ActionOutcome, type PanelState } from './context';
import { statusAppearance } from './format';
import { FallbackTab } from './tabs/FallbackTab';
import { HistoryTab } from './tabs/HistoryTab';
import { OverviewTab } from './tabs/OverviewTab';
import { RecordsTab } from './tabs/RecordsTab';
import { SoftwareTab } from './tabs/SoftwareTab';
import { TeamTab } from './tabs/TeamTab';
import { TrainingTab } from './tabs/TrainingTab';

type Loaded = { view: PanelView; vocab: Vocabulary };

/**
 * The Release issue panel: one `panel/get` on open (and after each action), tabs for the release's records,
 * and every action of SPEC §3 as a button or form for whoever may take it.
 */
export default function ReleasePanel() {
  const { t, locale } = useI18n();
  const context = useProductContext();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [tab, setTab] = useState(0);
  const seq = useRef(0);
  const nameOf = useNames();

  const load = useCallback(async () => {
    const id = ++seq.current;
    setRefreshing(true);
    try {
      const [view, vocab] = await Promise.all([getPanel({}), loadVocabulary(locale)]);
      if (id === seq.current) {
        setPeopleProject(view.projectId || undefined);
        setData({ view, vocab });
        setError(null);
      }
    } catch (err) {
      if (id === seq.current) setError(err);
    } finally {
      if (id === seq.current) setRefreshing(false);
    }
  }, [locale]);

  useEffect(() => {
    void load();
  }, [load]);

  const run = useCallback(
    async (action: ReleaseAction, payload: Record<string, unknown>): Promise<ActionOutcome> => {
      const release = data?.view.release;
      if (!release || !data) return { ok: false, message: t('common.unknownError') };
      try {
        await runAction(action, release, payload);
        notify('success', t('panel.done', { action: data.vocab.word('action', action) }));
        await load();
        return { ok: true };
      } catch (err) {
        if (err instanceof ResolverError && err.code === 'CONFLICT') {
          notify('warning', t('panel.conflictTitle'), err.message);
          await load();
          return { ok: false, message: t('panel.conflict') };
        }
        const message = err instanceof Error && err.message ? err.message : t('common.unknownError');
        return { ok: false, message, ...(err instanceof ResolverError && err.field ? { field: err.field } : {}) };
      }
    },
    [data, load, t],
  );

  const state = useMemo<PanelState | null>(() => {
    if (!data?.view.release) return null;
    const me = data.view.actor.accountId;
    return {
      view: data.view as PanelView & { release: Release },
      vocab: data.vocab,
      run,
      reload: () => void load(),
      // A deployment pipeline records as `pipeline:<token id>`: it is no person to look up.
      person: (id) => (!id ? '—' : id.startsWith('pipeline:') ? t('panel.pipelineActor') : <Person accountId={id} {...(id === me ? { format: (name: string) => t('panel.you', { id: name }) } : {})} />),
      name: (id) => (!id ? '—' : id.startsWith('pipeline:') ? t('panel.pipelineActor') : id === me ? t('panel.you', { id: nameOf(id) }) : nameOf(id)),
    };
  }, [data, run, load, t, nameOf]);

  const title = t('panel.title');
  if (!data && !error) return <Loading label={t('panel.loading')} />;
  if (!data) {
    return (
      <ModuleFrame title={title}>
        <ErrorState error={error} onRetry={() => void load()} />
      </ModuleFrame>
    );
  }
  if (!state) {
    return (
      <ModuleFrame title={title}>
        <SectionMessage appearance="information" title={t('panel.noRecordTitle')} testId="rg-no-release">
          <Text as="p">{t('panel.noRecord', { key: data.view.issueKey || context.extension.issue?.key || '' })}</Text>
        </SectionMessage>
      </ModuleFrame>
    );
  }
  const { release } = state.view;
  const tabs: { label: string; id: string; body: JSX.Element }[] = [
    { id: 'overview', label: t('panel.tabs.overview'), body: <OverviewTab /> },
    { id: 'team', label: t('panel.tabs.team'), body: <TeamTab /> },
    { id: 'fallback', label: t('panel.tabs.fallback'), body: <FallbackTab /> },
    { id: 'training', label: t('panel.tabs.training'), body: <TrainingTab /> },
    { id: 'software', label: t('panel.tabs.software'), body: <SoftwareTab /> },
    { id: 'records', label: t('panel.tabs.records'), body: <RecordsTab /> },
    { id: 'history', label: t('panel.tabs.history'), body: <HistoryTab /> },
  ];
  return (
    <PanelProvider value={state}>
      <ModuleFrame
        title={title}
        actions={
          <Inline space="space.100" alignBlock="center" testId="rg-panel-status">
            <Text color="color.text.subtle">{state.view.issueKey}</Text>
            <Lozenge appearance={statusAppearance(release.status)} isBold>
              {state.vocab.word('status', release.status)}
            </Lozenge>
            {release.outcome ? <Lozenge appearance={release.outcome === 'SUCCESS' ? 'success' : 'removed'}>{state.vocab.word('outcome', release.outcome)}</Lozenge> : null}
            {refreshing ? <Text size="small" color="color.text.subtlest">{t('panel.refreshing')}</Text> : null}
          </Inline>
        }
      >
        {error ? <ErrorState error={error} onRetry={() => void load()} /> : null}
        <Tabs id="rg-panel-tabs" selected={tab} onChange={setTab}>
          <TabList>
            {tabs.map((x) => (
              <Tab key={x.id} testId={`rg-tab-${x.id}`}>
                {x.label}
              </Tab>
            ))}
          </TabList>
          {tabs.map((x) => (
            <TabPanel key={x.id} testId={`rg-tabpanel-${x.id}`}>
              <Stack space="space.200" grow="fill">
                <div style={{ paddingTop: 'var(--ds-space-150, 12px)', width: '100%' }}>{x.body}</div>
              </Stack>
            </TabPanel>
          ))}
        </Tabs>
      </ModuleFrame>
    </PanelProvider>
  );
}
