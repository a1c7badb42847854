import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { router } from '@forge/bridge';
import { token } from '@atlaskit/tokens';
import { lazy, Suspense, useEffect, useRef, useState, type MouseEvent } from 'react';
import { useProductContext } from '../context';
import { useI18n } from '../i18n';
import { formatKpi, formatKpiShort, KPI_DEFINITIONS, monthLabel, monthOnly, seriesOf, type KpiDrillView, type KpiName, type KpiReading, type KpiView } from '../kpi';
import { DataTable, type Column } from '../ui/DataTable';
import { ErrorState } from '../ui/ErrorState';
import { IssueLink } from '../ui/IssueLink';
import { Loading } from '../ui/Loading';
import { useAsync } from '../useAsync';
import { useVocabulary } from '../vocabulary';

// The chart library loads with the first chart, never before: a table-only view downloads none of it.
const KpiTrendChart = lazy(() => import('./KpiTrendChart'));

export type KpiDisplay = 'CHART' | 'TABLE';

export interface KpiBoardProps {
  /** The chosen period's values. */
  period: KpiView;
  periodRange: { fromMonth: string; toMonth: string };
  /** The 12 months for the trend, every month listed (gaps: null). */
  year: KpiView;
  kpis: readonly KpiName[];
  display: KpiDisplay;
  chartKind?: 'line' | 'bars';
  loadDrill: (kpi: KpiName, fromMonth: string, toMonth: string) => Promise<KpiDrillView>;
  /** Offers each KPI's table as CSV (the workbench). */
  onCsv?: (kpi: KpiName, rows: { month: string; value: number | null; target: number }[]) => void;
  headingLevel?: 2 | 3;
  /** Told once every chart has drawn (the bench's mark). */
  onDrawn?: () => void;
}

/** Per KPI: the period's value against its target, the 12-month trend, its data table and the releases behind any number. */
export function KpiBoard(props: KpiBoardProps) {
  const { t } = useI18n();
  const readings = props.kpis.flatMap((k) => props.period.total.find((r) => r.name === k) ?? []);
  const drawn = useRef(new Set<KpiName>());
  const onChart = (k: KpiName) => {
    drawn.current.add(k);
    if (drawn.current.size === readings.length) props.onDrawn?.();
  };
  useEffect(() => {
    if (props.display === 'TABLE') props.onDrawn?.();
  }, [props.display]);
  if (readings.length === 0) return <Text as="p">{t('kpiBoard.empty')}</Text>;
  return (
    <Stack space="space.200" testId="rg-kpi-board">
      {readings.map((r) => (
        <KpiCard key={r.name} reading={r} {...props} onChartReady={() => onChart(r.name)} />
      ))}
    </Stack>
  );
}

type Drill = { fromMonth: string; toMonth: string; label: string };

function KpiCard({ reading, period: _period, periodRange, year, display, chartKind, loadDrill, onCsv, headingLevel = 3, onChartReady }: KpiBoardProps & { reading: KpiReading; onChartReady: () => void }) {
  const { t, format, locale } = useI18n();
  const { name } = useVocabulary();
  const [drill, setDrill] = useState<Drill | null>(null);
  const k = reading.name;
  const ratio = KPI_DEFINITIONS[k].unit === 'RATIO';
  const series = seriesOf(k, year.byMonth);
  const withData = series.filter((p) => p.value !== null);
  const last = withData[withData.length - 1];
  const periodLabel = t('kpiBoard.periodRange', { from: monthLabel(locale, periodRange.fromMonth), to: monthLabel(locale, periodRange.toMonth) });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = `rg-kpi-${k}`;
  const summary = t('kpiBoard.chartSummary', {
    kpi: name('kpi', k),
    months: series.length,
    withData: withData.length,
    latest: last ? `${monthLabel(locale, last.month, 'long')}: ${formatKpi(format, k, last.value)}` : t('kpiBoard.noData'),
    target: formatKpi(format, k, reading.target),
  });
  const openMonth = (month: string) => setDrill({ fromMonth: month, toMonth: month, label: monthLabel(locale, month, 'long') });

  const columns: Column<{ month: string; value: number | null }>[] = [
    { key: 'month', header: t('kpiBoard.month'), render: (r) => monthLabel(locale, r.month, 'long') },
    {
      key: 'value',
      header: t('kpiBoard.value'),
      numeric: true,
      render: (r) =>
        r.value === null ? (
          <Text color="color.text.subtlest">{t('kpiBoard.noData')}</Text>
        ) : (
          <Button appearance="subtle" spacing="compact" onClick={() => openMonth(r.month)} aria-label={t('kpiBoard.openMonth', { month: monthLabel(locale, r.month, 'long'), value: formatKpi(format, k, r.value) })}>
            {formatKpi(format, k, r.value)}
          </Button>
        ),
    },
  ];
  const table = <DataTable caption={t('kpiBoard.tableCaption', { kpi: name('kpi', k) })} columns={columns} rows={series} rowKey={(r) => r.month} empty={t('kpiBoard.noData')} testId={`${id}-table`} />;

  return (
    <section aria-labelledby={`${id}-h`} data-testid={id} style={{ borderBlockEnd: `1px solid ${token('color.border')}`, paddingBlockEnd: token('space.150') }}>
      <Stack space="space.100">
        <Heading id={`${id}-h`} style={{ margin: 0, font: token('font.heading.xsmall') }}>
          {name('kpi', k)}
        </Heading>
        <Inline space="space.150" alignBlock="center" shouldWrap>
          {reading.value === null ? (
            <Text weight="bold" size="large" testId={`${id}-value`}>
              {t('kpiBoard.noData')}
            </Text>
          ) : (
            <Button
              appearance="subtle"
              onClick={() => setDrill({ ...periodRange, label: periodLabel })}
              testId={`${id}-value`}
              aria-label={t('kpiBoard.openValue', { value: formatKpi(format, k, reading.value), period: periodLabel })}
            >
              <span style={{ font: token('font.heading.medium'), color: reading.onTarget === false ? token('color.text.danger') : token('color.text') }}>{formatKpi(format, k, reading.value)}</span>
            </Button>
          )}
          <Text color="color.text.subtle">{t('kpiBoard.target', { target: formatKpi(format, k, reading.target) })}</Text>
          {reading.onTarget === null ? <Lozenge>{t('kpiBoard.noData')}</Lozenge> : reading.onTarget ? <Lozenge appearance="success">{t('kpiBoard.onTarget')}</Lozenge> : <Lozenge appearance="removed">{t('kpiBoard.offTarget')}</Lozenge>}
          <Text size="small" color="color.text.subtlest">
            {periodLabel}
          </Text>
        </Inline>
        {display === 'CHART' ? (
          <>
            <Suspense fallback={<Loading />}>
              <ChartReady onReady={onChartReady}>
                <KpiTrendChart
                  points={series.map((p) => ({ ...p, label: monthOnly(locale, p.month) }))}
                  target={reading.target}
                  kind={chartKind ?? (ratio ? 'line' : 'bars')}
                  ratio={ratio}
                  formatTick={(v) => formatKpiShort(format, k, v)}
                  summary={summary}
                  onSelectMonth={openMonth}
                  testId={`${id}-chart`}
                />
              </ChartReady>
            </Suspense>
            <details>
              <summary style={{ cursor: 'pointer', color: token('color.link') }}>{t('kpiBoard.showTable')}</summary>
              {table}
            </details>
          </>
        ) : (
          table
        )}
        {onCsv ? (
          <Inline>
            <Button appearance="subtle" spacing="compact" onClick={() => onCsv(k, series.map((p) => ({ ...p, target: reading.target })))} testId={`${id}-csv`}>
              {t('kpiBoard.csv')}
            </Button>
          </Inline>
        ) : null}
        {drill ? <DrillDown kpi={k} drill={drill} loadDrill={loadDrill} onClose={() => setDrill(null)} level={headingLevel === 2 ? 'h3' : 'h4'} /> : null}
      </Stack>
    </section>
  );
}

function ChartReady({ onReady, children }: { onReady: () => void; children: JSX.Element }) {
  useEffect(() => {
    requestAnimationFrame(() => onReady());
  }, []);
  return children;
}

function JqlLink({ jql, children, testId }: { jql: string; children: string; testId: string }) {
  const { siteUrl } = useProductContext();
  const path = `/issues/?jql=${encodeURIComponent(jql)}`;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    router.navigate(path).catch(() => router.open(path));
  };
  return (
    <a href={`${siteUrl}${path}`} onClick={onClick} data-testid={testId} data-jql={jql}>
      {children}
    </a>
  );
}

type DrillRow = KpiDrillView['rows'][number];

function DrillDown({ kpi, drill, loadDrill, onClose, level }: { kpi: KpiName; drill: Drill; loadDrill: KpiBoardProps['loadDrill']; onClose: () => void; level: 'h3' | 'h4' }) {
  const Heading = level;
  const { t, format, locale } = useI18n();
  const { name } = useVocabulary();
  const data = useAsync(() => loadDrill(kpi, drill.fromMonth, drill.toMonth), [kpi, drill.fromMonth, drill.toMonth]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, [drill.fromMonth, drill.toMonth]);
  const id = `rg-drill-${kpi}`;
  const d = data.data;
  const contribution = (r: DrillRow): string => {
    if (!d) return '';
    if (d.kind === 'SAMPLE') return formatKpi(format, kpi, r.value === null ? null : KPI_DEFINITIONS[kpi].unit === 'DAYS' ? r.value / 1440 : r.value);
    if (d.kind === 'WEIGHTED_RATIO') return t('kpiBoard.adds', { n: format.number(kpi === 'RESOURCE_USE' ? r.n / 100 : r.n), d: format.number(kpi === 'RESOURCE_USE' ? r.d / 100 : r.d) });
    if (d.kind === 'RATE') return t('kpiBoard.counted');
    return r.inNumerator ? t('kpiBoard.inNumerator') : t('kpiBoard.notInNumerator');
  };
  const columns: Column<DrillRow>[] = [
    { key: 'issue', header: t('kpiBoard.release'), render: (r) => (r.issueKey ? <IssueLink issueKey={r.issueKey} /> : t('kpiBoard.noKey')) },
    { key: 'closed', header: t('kpiBoard.closed'), render: (r) => format.date(r.closedAt) },
    { key: 'outcome', header: t('kpiBoard.outcome'), render: (r) => name('outcome', r.outcome) },
    { key: 'adds', header: t('kpiBoard.contribution'), render: contribution },
  ];
  let summary = '';
  if (d) {
    if (d.kind === 'COUNT_RATIO') summary = t('kpiBoard.sumCount', { n: d.numerator ?? 0, d: d.denominator ?? 0 });
    else if (d.kind === 'WEIGHTED_RATIO') summary = t('kpiBoard.sumWeighted', { n: format.number(kpi === 'RESOURCE_USE' ? (d.numerator ?? 0) / 100 : (d.numerator ?? 0)), d: format.number(kpi === 'RESOURCE_USE' ? (d.denominator ?? 0) / 100 : (d.denominator ?? 0)), releases: d.rows.length });
    else if (d.kind === 'SAMPLE') summary = t('kpiBoard.sumSample', { n: d.denominator ?? 0 });
    else if (d.kind === 'RATE') summary = t('kpiBoard.sumRate', { n: d.numerator ?? 0 });
    else if (d.other) summary = t(kpi === 'DSL_ACCURACY' ? 'kpiBoard.sumAudits' : 'kpiBoard.sumImprovements', { n: d.other.numerator, d: d.other.denominator });
  }
  return (
    <section
      aria-labelledby={`${id}-h`}
      data-testid={id}
      style={{ padding: token('space.150'), background: token('color.background.neutral.subtle'), border: `1px solid ${token('color.border')}`, borderRadius: token('radius.medium') }}
    >
      <Stack space="space.100">
        <Heading id={`${id}-h`} ref={headingRef} tabIndex={-1} style={{ margin: 0, font: token('font.heading.xxsmall') }}>
          {t('kpiBoard.drillTitle', { kpi: name('kpi', kpi), period: drill.label })}
        </Heading>
        {data.status === 'loading' ? <Loading /> : null}
        {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
        {d ? (
          <>
            <Text as="p" testId={`${id}-summary`}>
              {summary}
            </Text>
            {d.incompleteMonths.length > 0 ? (
              <SectionMessage appearance="warning">
                <Text as="p">{t('kpiBoard.incomplete', { months: d.incompleteMonths.map((m) => monthLabel(locale, m, 'long')).join(', ') })}</Text>
              </SectionMessage>
            ) : null}
            {(d.cappedMonths ?? []).length > 0 ? (
              <SectionMessage appearance="warning" testId={`${id}-capped`}>
                {(d.cappedMonths ?? []).map((c) => (
                  <Text as="p" key={c.month}>
                    {t('kpiBoard.capped', { month: monthLabel(locale, c.month, 'long'), listed: new Intl.NumberFormat(locale).format(c.listed), closed: new Intl.NumberFormat(locale).format(c.closed) })}
                  </Text>
                ))}
              </SectionMessage>
            ) : null}
            {d.kind !== 'NOT_RELEASES' ? (
              <DataTable caption={t('kpiBoard.drillCaption', { kpi: name('kpi', kpi) })} columns={columns} rows={d.rows} rowKey={(r) => r.releaseId} empty={t('kpiBoard.drillEmpty')} testId={`${id}-rows`} />
            ) : null}
            {d.jql ? (
              <Inline space="space.200" shouldWrap>
                <JqlLink jql={d.jql.counted} testId={`${id}-jql`}>
                  {t('kpiBoard.jqlCounted', { n: d.rows.length })}
                </JqlLink>
                {d.jql.numerator ? (
                  <JqlLink jql={d.jql.numerator} testId={`${id}-jql-numerator`}>
                    {t('kpiBoard.jqlNumerator', { n: d.numerator ?? 0 })}
                  </JqlLink>
                ) : null}
              </Inline>
            ) : null}
          </>
        ) : null}
        <Inline>
          <Button appearance="subtle" spacing="compact" onClick={onClose}>
            {t('kpiBoard.closeDrill')}
          </Button>
        </Inline>
      </Stack>
    </section>
  );
}
