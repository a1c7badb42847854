import Button from '@atlaskit/button/new';
import { Box, Inline, Stack } from '@atlaskit/primitives';
import { useState } from 'react';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { AUDIENCE_KPIS, KPI_AUDIENCES, KPI_DEFINITIONS, kpiAudiencesOf, monthKey, monthLabel, type KpiAudience, type KpiName } from '../../../shared/kpi';
import { KpiBoard } from '../../../shared/kpi-ui/KpiBoard';
import { useVocabulary } from '../../../shared/vocabulary';
import { getKpiDrillDown, getKpis } from '../api';
import { downloadCsv } from '../dsl/csv';
import type { PageProps } from '../model';
import { PageHeading } from './parts';

/** Where a role lands: its own KPIs (the process owner: every KPI). */
function defaultAudience(roles: PageProps['roles']): KpiAudience {
  if (roles?.includes('PROCESS_OWNER')) return 'PROCESS_OWNER';
  return kpiAudiencesOf(roles ?? [])[0] ?? 'IMPLEMENTER';
}

/**
 * Each role's KPIs where that role works (SPEC §2, §5): the role's own KPIs by default, any other role's a
 * click away (anyone who can browse may read), the process owner's page with every KPI, ITSS and DORA. The
 * same charts and drill-down as the gadget; the table behind any chart as CSV.
 */
export default function KpiPage({ projectId, roles, now }: PageProps) {
  const { t, locale } = useI18n();
  const { name } = useVocabulary();
  const [audience, setAudience] = useState<KpiAudience>(() => defaultAudience(roles));
  const mine = new Set<KpiAudience>(kpiAudiencesOf(roles ?? []));
  const today = new Date(now);
  const fromMonth = monthKey(today, -11);
  const toMonth = monthKey(today);
  const data = useAsync(() => getKpis({ projectId, fromMonth, toMonth }), [projectId, fromMonth, toMonth]);
  const kpis: readonly KpiName[] = AUDIENCE_KPIS[audience];

  const csv = (kpi: KpiName, rows: { month: string; value: number | null; target: number }[]) => {
    const unit = t(`kpiBoard.unit.${KPI_DEFINITIONS[kpi].unit}` as 'kpiBoard.unit.RATIO');
    downloadCsv(
      `kpi-${kpi.toLowerCase()}-${fromMonth}-${toMonth}.csv`,
      [t('kpiBoard.month'), t('kpiBoard.kpi'), t('kpiBoard.value'), t('kpiBoard.targetColumn'), t('kpiBoard.unitColumn')],
      rows.map((r) => [r.month, name('kpi', kpi), r.value === null ? '' : String(r.value), String(r.target), unit]),
    );
  };

  return (
    <Stack space="space.150">
      <PageHeading title={t('workbench.kpis.title')} intro={t('workbench.kpis.intro', { from: monthLabel(locale, fromMonth, 'long'), to: monthLabel(locale, toMonth, 'long') })} />
      <Box as="nav" aria-label={t('kpiBoard.rolesLabel')} testId="rg-kpi-roles">
        <Inline space="space.050" shouldWrap>
          {KPI_AUDIENCES.map((a) => (
            <Button key={a} appearance="subtle" isSelected={a === audience} aria-pressed={a === audience} onClick={() => setAudience(a)} testId={`rg-kpi-role-${a}`}>
              {t(`kpiBoard.audience.${a}` as 'kpiBoard.audience.PROCESS_OWNER')}
              {mine.has(a) ? ` · ${t('kpiBoard.yours')}` : ''}
            </Button>
          ))}
        </Inline>
      </Box>
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' ? (
        <KpiBoard
          period={data.data}
          periodRange={{ fromMonth, toMonth }}
          year={data.data}
          kpis={kpis}
          display="CHART"
          headingLevel={3}
          loadDrill={(kpi, from, to) => getKpiDrillDown({ projectId, kpi, fromMonth: from, toMonth: to })}
          onCsv={csv}
        />
      ) : null}
    </Stack>
  );
}
