import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useState, type CSSProperties } from 'react';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { dayOf, dayTitle, monthBounds, monthGrid, monthOfInstant, monthTitle, shiftMonth, weekdayNames, type MonthRef } from '../../../shared/calendar';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { DataTable, visuallyHidden, type Column } from '../../../shared/ui/DataTable';
import { selectStyle } from '../../../shared/ui/form';
import { useVocabulary } from '../../../shared/vocabulary';
import { getCalendar, type CalendarEntry, type CalendarView, type ReleaseStatus } from '../api';
import type { PageProps } from '../model';
import { FreezeSection } from './FreezeSection';
import { PageHeading } from './parts';

const STATUSES: ReleaseStatus[] = ['SUBMITTED', 'PLANNING', 'BUILD_TEST', 'READY', 'IMPLEMENTING', 'VERIFYING', 'ROLLING_BACK', 'CLOSED', 'REJECTED', 'CANCELLED'];
const DONE: ReleaseStatus[] = ['CLOSED', 'REJECTED', 'CANCELLED'];
type Filter = 'ALL' | 'PLANNED' | ReleaseStatus;

const grid: CSSProperties = { width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' };
const cell: CSSProperties = {
  border: `1px solid ${token('color.border')}`,
  verticalAlign: 'top',
  height: '6rem',
  padding: token('space.050'),
  font: token('font.body.small'),
};
const head: CSSProperties = { ...cell, height: 'auto', color: token('color.text.subtle'), fontWeight: token('font.weight.semibold'), textAlign: 'center' };
const chipBase: CSSProperties = {
  display: 'block',
  marginBlockStart: token('space.025'),
  padding: `0 ${token('space.050')}`,
  borderRadius: token('radius.small'),
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  borderInlineStart: '3px solid transparent',
};

/** How a release looks on the calendar: done releases recede, a closed one differs from a cancelled one. */
function chipStyle(e: CalendarEntry): CSSProperties {
  const conflict = e.conflicts.length > 0 ? { boxShadow: `inset 0 0 0 2px ${token('color.border.warning')}` } : {};
  switch (e.status) {
    case 'CLOSED':
      return { ...chipBase, ...conflict, background: token('color.background.success'), borderInlineStartColor: token('color.border.success') };
    case 'CANCELLED':
    case 'REJECTED':
      return { ...chipBase, background: token('color.background.neutral.subtle'), color: token('color.text.subtlest'), textDecoration: 'line-through', borderInlineStartColor: token('color.border') };
    default:
      return { ...chipBase, ...conflict, background: token('color.background.accent.blue.subtlest'), borderInlineStartColor: token('color.border.information') };
  }
}

const freezeChip = (severity: 'HARD' | 'SOFT'): CSSProperties => ({
  ...chipBase,
  background: severity === 'HARD' ? token('color.background.danger') : token('color.background.warning'),
  color: severity === 'HARD' ? token('color.text.danger') : token('color.text.warning'),
  borderInlineStartColor: severity === 'HARD' ? token('color.border.danger') : token('color.border.warning'),
});

function matches(filter: Filter, status: ReleaseStatus): boolean {
  if (filter === 'ALL') return true;
  if (filter === 'PLANNED') return !DONE.includes(status);
  return filter === status;
}

/**
 * Month view of release windows and change freezes: a table (rows are weeks); each day lists the freezes in
 * force and the releases whose window covers it, with key, summary and status; conflicts (a window in a
 * freeze, or two windows on the same configuration item) are marked and listed below. Freezes are kept here
 * by the process owner and the release manager.
 */
export default function CalendarPage({ projectId, now }: PageProps) {
  const { t, locale, timeZone } = useI18n();
  const { name } = useVocabulary();
  const [month, setMonth] = useState<MonthRef>(() => monthOfInstant(now, timeZone));
  const [filter, setFilter] = useState<Filter>('ALL');
  const bounds = monthBounds(month);
  const data = useAsync(() => getCalendar({ projectId, from: bounds.from, to: bounds.to }), [projectId, month.year, month.month]);
  const firstDay: 0 | 1 = locale === 'en-US' ? 0 : 1;
  const weeks = monthGrid(month, firstDay);
  const longNames = weekdayNames(locale, firstDay, 'long');
  const shortNames = weekdayNames(locale, firstDay, 'short');
  const title = monthTitle(locale, month);
  const today = dayOf(now, timeZone);
  const days = weeks.flat().filter((d): d is string => d !== null);

  const view: CalendarView | null = data.status === 'ready' ? data.data : null;
  const entries = (view?.entries ?? []).filter((e) => matches(filter, e.status));
  const byDay = new Map<string, CalendarEntry[]>();
  const freezesByDay = new Map<string, CalendarView['occurrences'][number][]>();
  if (view) {
    for (const e of entries) {
      const from = dayOf(e.windowStart, timeZone);
      const to = dayOf(e.windowEnd, timeZone);
      for (const d of days) if (d >= from && d <= to) byDay.set(d, [...(byDay.get(d) ?? []), e]);
    }
    for (const o of view.occurrences) {
      const from = dayOf(o.start, timeZone);
      // The end is exclusive: a freeze ending at midnight does not cover the next day.
      const to = dayOf(o.end - 1, timeZone);
      for (const d of days) if (d >= from && d <= to) freezesByDay.set(d, [...(freezesByDay.get(d) ?? []), o]);
    }
  }
  const keyOf = (id: string) => view?.entries.find((e) => e.id === id)?.issueKey ?? null;
  const conflicted = entries.filter((e) => e.conflicts.length > 0);
  type ConflictRow = { id: string; entry: CalendarEntry; conflict: CalendarEntry['conflicts'][number] };
  const conflictColumns: Column<ConflictRow>[] = [
    { key: 'release', header: t('workbench.col.release'), render: (r) => <IssueLink issueKey={r.entry.issueKey ?? r.entry.id} /> },
    {
      key: 'conflict',
      header: t('workbench.calendar.conflict'),
      render: ({ conflict: c }) =>
        c.kind === 'FREEZE'
          ? t(c.severity === 'HARD' ? 'workbench.calendar.conflictHardFreeze' : 'workbench.calendar.conflictSoftFreeze', { freeze: c.reason })
          : t('workbench.calendar.conflictRelease', { other: c.issueKey ?? keyOf(c.releaseId) ?? '—', item: c.configurationItem }),
    },
  ];
  const statusText = (e: CalendarEntry) => (e.status === 'CLOSED' && e.outcome ? `${name('status', e.status)} · ${name('outcome', e.outcome)}` : name('status', e.status));

  return (
    <Stack space="space.150">
      <PageHeading
        title={t('workbench.calendar.title')}
        intro={t('workbench.calendar.intro')}
        actions={
          <Inline space="space.050" alignBlock="center">
            <Button spacing="compact" onClick={() => setMonth(shiftMonth(month, -1))}>
              {t('workbench.calendar.previous')}
            </Button>
            <Button spacing="compact" onClick={() => setMonth(monthOfInstant(now, timeZone))}>
              {t('workbench.calendar.today')}
            </Button>
            <Button spacing="compact" onClick={() => setMonth(shiftMonth(month, 1))}>
              {t('workbench.calendar.next')}
            </Button>
          </Inline>
        }
      />
      <Inline space="space.200" alignBlock="center" shouldWrap>
        <Box aria-live="polite">
          <strong data-testid="rg-calendar-month">{title}</strong>
        </Box>
        <Inline space="space.075" alignBlock="center">
          <label htmlFor="rg-calendar-filter">
            <Text size="small" weight="semibold">
              {t('workbench.calendar.filterLabel')}
            </Text>
          </label>
          <select id="rg-calendar-filter" data-testid="rg-calendar-filter" style={{ ...selectStyle, width: 'auto' }} value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="ALL">{t('workbench.calendar.filterAll')}</option>
            <option value="PLANNED">{t('workbench.calendar.filterPlanned')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {name('status', s)}
              </option>
            ))}
          </select>
        </Inline>
      </Inline>
      <Legend />
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {view ? (
        <table style={grid} data-testid="rg-calendar">
          <caption style={visuallyHidden}>{t('workbench.calendar.caption', { month: title })}</caption>
          <thead>
            <tr>
              {shortNames.map((n, i) => (
                <th key={n} scope="col" style={head} abbr={longNames[i]}>
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week, w) => (
              <tr key={w}>
                {week.map((d, i) =>
                  d === null ? (
                    <td key={`x${i}`} style={{ ...cell, background: token('color.background.neutral.subtle') }} />
                  ) : (
                    <td
                      key={d}
                      style={d === today ? { ...cell, boxShadow: `inset 0 0 0 2px ${token('color.border.focused')}` } : cell}
                      aria-current={d === today ? 'date' : undefined}
                      data-day={d}
                    >
                      <span aria-hidden="true">{Number(d.slice(8))}</span>
                      <span style={visuallyHidden}>{dayTitle(locale, d)}</span>
                      {(freezesByDay.get(d) ?? []).map((o) => (
                        <span key={`${o.freezeId}-${o.start}`} style={freezeChip(o.severity)} data-testid="rg-calendar-freeze" data-severity={o.severity} title={`${t(o.severity === 'HARD' ? 'workbench.calendar.hardFreeze' : 'workbench.calendar.softFreeze')}: ${o.reason}`}>
                          {t(o.severity === 'HARD' ? 'workbench.calendar.hardFreeze' : 'workbench.calendar.softFreeze')}: {o.reason}
                        </span>
                      ))}
                      {(byDay.get(d) ?? []).map((e) => (
                        <span key={e.id} style={chipStyle(e)} data-testid="rg-calendar-entry" data-status={e.status} data-conflict={e.conflicts.length > 0} title={`${e.issueKey ?? ''} · ${e.summary ?? ''} · ${statusText(e)}`}>
                          {e.conflicts.length > 0 ? <span aria-hidden="true">⚠ </span> : null}
                          <IssueLink issueKey={e.issueKey ?? e.id} /> <span>{e.summary ?? ''}</span>
                          <span style={{ display: 'block', fontSize: '0.85em', textDecoration: 'none' }}>
                            {statusText(e)}
                            {e.conflicts.length > 0 ? ` · ${t('workbench.calendar.conflict')}` : ''}
                          </span>
                        </span>
                      ))}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {view && byDay.size === 0 ? (
        <p style={{ margin: 0, color: token('color.text.subtle') }} data-testid="rg-calendar-empty">
          {t('workbench.calendar.empty')}
        </p>
      ) : null}
      {view && conflicted.length > 0 ? <Text as="strong">{t('workbench.calendar.conflictsHeading')}</Text> : null}
      {view && conflicted.length > 0 ? (
        <DataTable
          caption={t('workbench.calendar.conflictsHeading')}
          columns={conflictColumns}
          rows={conflicted.flatMap((e) =>
            // A pair of releases is one conflict: listed once, under the earlier window.
            e.conflicts.filter((c) => c.kind === 'FREEZE' || !conflicted.some((o) => o.id === c.releaseId && (o.windowStart < e.windowStart || (o.windowStart === e.windowStart && o.id < e.id)))).map((c, i) => ({ id: `${e.id}-${i}`, entry: e, conflict: c })),
          )}
          rowKey={(r) => r.id}
          empty=""
          testId="rg-calendar-conflicts"
        />
      ) : null}
      {view ? <FreezeSection projectId={projectId} view={view} onChanged={data.reload} /> : null}
    </Stack>
  );
}

function Legend() {
  const { t } = useI18n();
  const sample = (style: CSSProperties, text: string) => (
    <span style={{ ...style, display: 'inline-block', marginBlockStart: 0 }}>{text}</span>
  );
  const planned = { id: '', issueKey: null, summary: null, status: 'PLANNING', outcome: null, classification: null, windowStart: 0, windowEnd: 0, freezeException: false } as const;
  return (
    <Inline space="space.100" shouldWrap testId="rg-calendar-legend">
      <Text size="small" color="color.text.subtle">
        {t('workbench.calendar.legend')}
      </Text>
      {sample(chipStyle({ ...planned, conflicts: [] }), t('workbench.calendar.legendPlanned'))}
      {sample(chipStyle({ ...planned, status: 'CLOSED', conflicts: [] }), t('workbench.calendar.legendClosed'))}
      {sample(chipStyle({ ...planned, status: 'CANCELLED', conflicts: [] }), t('workbench.calendar.legendCancelled'))}
      {sample(chipStyle({ ...planned, conflicts: [{ kind: 'RELEASE', releaseId: '', issueKey: null, configurationItem: '' }] }), `⚠ ${t('workbench.calendar.conflict')}`)}
      {sample(freezeChip('HARD'), t('workbench.calendar.hardFreeze'))}
      {sample(freezeChip('SOFT'), t('workbench.calendar.softFreeze'))}
    </Inline>
  );
}
