import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Box, Stack, Text } from '@atlaskit/primitives';
import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import { ErrorState, Loading, resolver, useAsync, useI18n, useProductContext } from '../../shared';
import { formatKpi, monthKey, trendOf, type KpiName, type KpiReading, type KpiView } from '../../shared/kpi';
import { DataTable, visuallyHidden, type Column } from '../../shared/ui/DataTable';
import { useVocabulary } from '../../shared/vocabulary';
import { readConfig, type GadgetConfig } from './config';

const getKpis = resolver<{ projectId: string; fromMonth: string; toMonth: string; kpis?: KpiName[] }, KpiView>(K.getKpis);

/** Value over the configured period, and 12 months by month for the trend: aggregates only, two reads. */
async function load(config: GadgetConfig): Promise<{ period: KpiView; year: KpiView }> {
  const now = new Date();
  const toMonth = monthKey(now);
  const year = getKpis({ projectId: config.projectId, fromMonth: monthKey(now, -11), toMonth, kpis: config.kpis });
  const period = config.period === 12 ? year : getKpis({ projectId: config.projectId, fromMonth: monthKey(now, 1 - config.period), toMonth, kpis: config.kpis });
  const [p, y] = await Promise.all([period, year]);
  return { period: p, year: y };
}

const ARROW = { up: '↑', down: '↓', flat: '→', none: '' } as const;

/** The KPI gadget: a compact table of value, target and trend per KPI. Charts come later, in the slot below. */
export default function KpiGadget() {
  const { t, format } = useI18n();
  const { name } = useVocabulary();
  const ctx = useProductContext();
  const config = readConfig(ctx.extension.gadgetConfiguration);
  const data = useAsync(() => (config ? load(config) : Promise.resolve(null)), [JSON.stringify(config)]);

  if (!config) {
    return (
      <Box as="main" padding="space.100" testId="rg-gadget">
        <h1 style={visuallyHidden}>{t('gadget.title')}</h1>
        <SectionMessage appearance="information" title={t('gadget.unconfiguredTitle')}>
          <Text as="p">{t('gadget.unconfigured')}</Text>
        </SectionMessage>
      </Box>
    );
  }

  const trendLabel = (r: KpiReading) => {
    const { trend, better } = trendOf(r.name, data.data?.year.byMonth ?? []);
    if (trend === 'none') return <Text color="color.text.subtlest">{t('gadget.trendNone')}</Text>;
    const label = t(trend === 'flat' ? 'gadget.trendFlat' : trend === 'up' ? 'gadget.trendUp' : 'gadget.trendDown');
    return (
      <Text color={better === null ? 'color.text.subtle' : better ? 'color.text.success' : 'color.text.danger'}>
        <span aria-hidden="true">{ARROW[trend]} </span>
        {label}
      </Text>
    );
  };

  const columns: Column<KpiReading>[] = [
    { key: 'name', header: t('gadget.kpi'), render: (r) => name('kpi', r.name) },
    {
      key: 'value',
      header: t('gadget.value'),
      numeric: true,
      render: (r) => (
        <Text weight="semibold" color={r.onTarget === false ? 'color.text.danger' : 'color.text'}>
          {formatKpi(format, r.name, r.value)}
        </Text>
      ),
    },
    { key: 'target', header: t('gadget.target'), numeric: true, render: (r) => formatKpi(format, r.name, r.target) },
    { key: 'trend', header: t('gadget.trend'), render: trendLabel },
    {
      key: 'state',
      header: t('gadget.state'),
      render: (r) =>
        r.onTarget === null ? <Lozenge>{t('gadget.noData')}</Lozenge> : r.onTarget ? <Lozenge appearance="success">{t('gadget.onTarget')}</Lozenge> : <Lozenge appearance="removed">{t('gadget.offTarget')}</Lozenge>,
    },
  ];

  return (
    <Box as="main" padding="space.100" testId="rg-gadget">
      {/* Jira shows the gadget's title in its own header; the frame still needs its heading for assistive tech. */}
      <h1 style={visuallyHidden}>{t('gadget.title')}</h1>
      <Stack space="space.100">
        <Text as="p" size="small" color="color.text.subtle" testId="rg-gadget-period">
          {t('gadget.periodLabel', { months: config.period })}
        </Text>
        {data.status === 'loading' ? <Loading /> : null}
        {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
        {data.status === 'ready' && data.data ? (
          <>
            <DataTable caption={t('gadget.caption')} columns={columns} rows={data.data.period.total} rowKey={(r) => r.name} empty={t('gadget.empty')} testId="rg-gadget-table" />
            {/* Charts (12-month trend per KPI, drill-down to the releases behind a number) go here. */}
            <div data-testid="rg-gadget-chart-slot" />
          </>
        ) : null}
      </Stack>
    </Box>
  );
}
