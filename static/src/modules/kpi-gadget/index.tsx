import SectionMessage from '@atlaskit/section-message';
import { Box, Stack, Text } from '@atlaskit/primitives';
import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import { ErrorState, Loading, resolver, useAsync, useI18n, useProductContext } from '../../shared';
import { monthKey, type KpiDrillView, type KpiName, type KpiView } from '../../shared/kpi';
import { KpiBoard } from '../../shared/kpi-ui/KpiBoard';
import { visuallyHidden } from '../../shared/ui/DataTable';
import { readConfig, type GadgetConfig } from './config';

const getKpis = resolver<{ projectId: string; fromMonth: string; toMonth: string; kpis?: KpiName[] }, KpiView>(K.getKpis);
const getDrill = resolver<{ projectId: string; kpi: KpiName; fromMonth: string; toMonth: string }, KpiDrillView>(K.getKpiDrillDown);

/** Value over the configured period, and 12 months by month for the trend: aggregates only, two reads. */
async function load(config: GadgetConfig): Promise<{ period: KpiView; year: KpiView; range: { fromMonth: string; toMonth: string } }> {
  const now = new Date();
  const toMonth = monthKey(now);
  const range = { fromMonth: monthKey(now, 1 - config.period), toMonth };
  const year = getKpis({ projectId: config.projectId, fromMonth: monthKey(now, -11), toMonth, kpis: config.kpis });
  const period = config.period === 12 ? year : getKpis({ projectId: config.projectId, ...range, kpis: config.kpis });
  const [p, y] = await Promise.all([period, year]);
  return { period: p, year: y, range };
}

/**
 * The KPI gadget: which project, then per KPI its value against target, its 12-month chart and the releases
 * behind any number. Jira's gadget refresh (manual, or every `refresh` minutes the edit view saved) reloads
 * the gadget, which reads the aggregates again (forge-docs/manifest-reference/modules/jira-dashboard-gadget).
 */
export default function KpiGadget() {
  const { t } = useI18n();
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
  const project = data.data?.period.project;

  return (
    <Box as="main" padding="space.100" testId="rg-gadget">
      {/* Jira shows the gadget's title in its own header; the frame still needs its heading for assistive tech. */}
      <h1 style={visuallyHidden}>{t('gadget.title')}</h1>
      <Stack space="space.100">
        <Text as="p" weight="semibold" testId="rg-gadget-project">
          {project ? t('gadget.project', { name: project.name ?? project.key, key: project.key }) : '\u00a0'}
        </Text>
        <Text as="p" size="small" color="color.text.subtle" testId="rg-gadget-period">
          {t('gadget.periodLabel', { months: config.period })}
        </Text>
        {data.status === 'loading' ? <Loading /> : null}
        {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
        {data.status === 'ready' && data.data ? (
          <KpiBoard
            period={data.data.period}
            periodRange={data.data.range}
            year={data.data.year}
            kpis={config.kpis}
            display={config.display}
            headingLevel={2}
            loadDrill={(kpi, fromMonth, toMonth) => getDrill({ projectId: config.projectId, kpi, fromMonth, toMonth })}
            onDrawn={() => {
              // The numbers on screen, charts drawn: for `npm run bench -- ui`.
              if (performance.getEntriesByName('rg:kpi-drawn').length === 0) performance.mark('rg:kpi-drawn');
            }}
          />
        ) : null}
      </Stack>
    </Box>
  );
}
