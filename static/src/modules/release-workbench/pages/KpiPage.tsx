import Lozenge from '@atlaskit/lozenge';
import { Stack } from '@atlaskit/primitives';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { formatKpi, monthKey, type KpiReading } from '../../../shared/kpi';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { useVocabulary } from '../../../shared/vocabulary';
import { getKpis } from '../api';
import type { PageProps } from '../model';
import { PageHeading } from './parts';

/** The project's KPIs over the last 12 months, each against its target in policy. */
export default function KpiPage({ projectId, now }: PageProps) {
  const { t, format } = useI18n();
  const { name } = useVocabulary();
  const today = new Date(now);
  const fromMonth = monthKey(today, -11);
  const toMonth = monthKey(today);
  const data = useAsync(() => getKpis({ projectId, fromMonth, toMonth }), [projectId, fromMonth, toMonth]);

  const columns: Column<KpiReading>[] = [
    { key: 'name', header: t('workbench.kpis.kpi'), render: (r) => name('kpi', r.name) },
    { key: 'value', header: t('workbench.kpis.value'), numeric: true, render: (r) => formatKpi(format, r.name, r.value) },
    { key: 'target', header: t('workbench.kpis.target'), numeric: true, render: (r) => formatKpi(format, r.name, r.target) },
    {
      key: 'state',
      header: t('workbench.col.state'),
      render: (r) =>
        r.onTarget === null ? (
          <Lozenge>{t('workbench.kpis.noData')}</Lozenge>
        ) : r.onTarget ? (
          <Lozenge appearance="success">{t('workbench.kpis.onTarget')}</Lozenge>
        ) : (
          <Lozenge appearance="removed">{t('workbench.kpis.offTarget')}</Lozenge>
        ),
    },
  ];

  return (
    <Stack space="space.150">
      <PageHeading title={t('workbench.kpis.title')} intro={t('workbench.kpis.intro', { from: fromMonth, to: toMonth })} />
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' ? (
        <DataTable caption={t('workbench.kpis.title')} columns={columns} rows={data.data.total} rowKey={(r) => r.name} empty={t('workbench.kpis.empty')} testId="rg-kpis" />
      ) : null}
    </Stack>
  );
}
