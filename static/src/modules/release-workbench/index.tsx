import Button from '@atlaskit/button/new';
import { Box, Inline, Stack } from '@atlaskit/primitives';
import { lazy, Suspense, useMemo } from 'react';
import { DEFAULT_POLICY } from '../../../../src/domain/policy';
import { ErrorState, Loading, ModuleFrame, useAsync, useI18n, useProductContext } from '../../shared';
import { useSubPage } from '../../shared/history';
import { setPeopleProject } from '../../shared/people';
import { loadWorkbench } from './api';
import { defaultPage, PAGE_TITLE, PAGES, visiblePages, type PageProps, type WorkbenchPage } from './model';
import { QueuePage } from './pages/QueuePage';

// Pages beyond the queues load on first visit: the frame downloads only what the user opens.
const TrainingPage = lazy(() => import('./pages/TrainingPage'));
const CalendarPage = lazy(() => import('./pages/CalendarPage'));
const ImprovementPage = lazy(() => import('./pages/ImprovementPage'));
const KpiPage = lazy(() => import('./pages/KpiPage'));
const DslLibrary = lazy(() => import('./dsl'));
const AuditPage = lazy(() => import('./pages/AuditPage'));

/** The project page: one workbench per role, its sub-pages kept in Jira's URL where Jira supports it. */
export default function ReleaseWorkbench() {
  const { t } = useI18n();
  const ctx = useProductContext();
  const projectId = ctx.extension.project?.id;
  setPeopleProject(projectId);
  const bench = useAsync(() => (projectId ? loadWorkbench(projectId) : Promise.reject(new Error(t('workbench.noProject')))), [projectId]);
  const roles = bench.status === 'ready' ? bench.data.roles : null;
  const pages = visiblePages(roles);
  const nav = useSubPage(PAGES, defaultPage(roles));
  const keys = useMemo(() => new Map((bench.data?.recent ?? []).map((r) => [r.id, r.issueKey ?? r.id])), [bench.data]);
  const now = useMemo(() => Date.now(), []);

  if (bench.status === 'loading' || !nav.ready) return <ModuleFrame title={t('workbench.title')}><Loading /></ModuleFrame>;
  if (bench.status === 'error' || !projectId) {
    return (
      <ModuleFrame title={t('workbench.title')}>
        <ErrorState error={bench.error} onRetry={bench.reload} />
      </ModuleFrame>
    );
  }
  const page: WorkbenchPage = pages.includes(nav.page) ? nav.page : defaultPage(roles);
  const props: PageProps = { projectId, accountId: ctx.accountId, roles, policy: bench.data?.policy ?? DEFAULT_POLICY, keyOf: (id) => keys.get(id), now };

  return (
    <ModuleFrame title={t('workbench.title')}>
      <Stack space="space.200">
        <Box as="nav" aria-label={t('workbench.navLabel')} testId="rg-workbench-nav">
          <Inline space="space.050" shouldWrap>
            {pages.map((p) => (
              <Button key={p} appearance="subtle" isSelected={p === page} aria-current={p === page ? 'page' : undefined} onClick={() => nav.go(p)}>
                {t(PAGE_TITLE[p])}
              </Button>
            ))}
          </Inline>
        </Box>
        <Box as="section" aria-labelledby="rg-page-title" testId={`rg-page-${page}`}>
          <Suspense fallback={<Loading />}>
            <PageBody page={page} {...props} />
          </Suspense>
        </Box>
      </Stack>
    </ModuleFrame>
  );
}

function PageBody({ page, ...props }: PageProps & { page: WorkbenchPage }) {
  switch (page) {
    case 'review':
    case 'leading':
    case 'deployments':
    case 'verifications':
      return <QueuePage key={page} kind={page} {...props} />;
    case 'training':
      return <TrainingPage {...props} />;
    case 'calendar':
      return <CalendarPage {...props} />;
    case 'improvement':
      return <ImprovementPage {...props} />;
    case 'kpis':
      return <KpiPage {...props} />;
    case 'dsl':
      return <DslLibrary {...props} />;
    case 'audit':
      return <AuditPage {...props} />;
  }
}
