import Button from '@atlaskit/button/new';
import { Box, Inline, Stack } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useState, type CSSProperties } from 'react';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { dayOf, dayTitle, monthBounds, monthGrid, monthOfInstant, monthTitle, shiftMonth, weekdayNames, type MonthRef } from '../../../shared/calendar';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { visuallyHidden } from '../../../shared/ui/DataTable';
import { useVocabulary } from '../../../shared/vocabulary';
import { listReleases, type Release } from '../api';
import type { PageProps } from '../model';
import { PageHeading } from './parts';

const DAY = 86_400_000;
/** Windows longer than this that started before the month are not looked for (the index is by window start). */
const LONGEST_WINDOW = 62 * DAY;

const grid: CSSProperties = { width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' };
const cell: CSSProperties = {
  border: `1px solid ${token('color.border')}`,
  verticalAlign: 'top',
  height: '5.5rem',
  padding: token('space.050'),
  font: token('font.body.small'),
};
const head: CSSProperties = { ...cell, height: 'auto', color: token('color.text.subtle'), fontWeight: token('font.weight.semibold'), textAlign: 'center' };
const chip: CSSProperties = {
  display: 'block',
  marginBlockStart: token('space.025'),
  padding: `0 ${token('space.050')}`,
  borderRadius: token('radius.small'),
  background: token('color.background.accent.blue.subtlest'),
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
};

/** Month view of release windows: a table (rows are weeks), each day listing the releases whose window covers it. */
export default function CalendarPage({ projectId, now }: PageProps) {
  const { t, locale, timeZone } = useI18n();
  const { name } = useVocabulary();
  const [month, setMonth] = useState<MonthRef>(() => monthOfInstant(now, timeZone));
  const bounds = monthBounds(month);
  const data = useAsync(
    () => listReleases({ projectId, windowFrom: bounds.from - LONGEST_WINDOW, windowTo: bounds.to, limit: 100 }).then((p) => p.items),
    [projectId, month.year, month.month],
  );
  const firstDay: 0 | 1 = locale === 'en-US' ? 0 : 1;
  const weeks = monthGrid(month, firstDay);
  const longNames = weekdayNames(locale, firstDay, 'long');
  const shortNames = weekdayNames(locale, firstDay, 'short');
  const title = monthTitle(locale, month);
  const today = dayOf(now, timeZone);

  const byDay = new Map<string, Release[]>();
  if (data.status === 'ready') {
    for (const r of data.data) {
      if (r.windowStart === null || r.windowEnd === null) continue;
      const from = dayOf(r.windowStart, timeZone);
      const to = dayOf(r.windowEnd, timeZone);
      for (const week of weeks)
        for (const d of week) if (d && d >= from && d <= to) byDay.set(d, [...(byDay.get(d) ?? []), r]);
    }
  }

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
      <Box aria-live="polite">
        <strong data-testid="rg-calendar-month">{title}</strong>
      </Box>
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' ? (
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
                      {(byDay.get(d) ?? []).map((r) => (
                        <span key={r.id} style={chip} title={`${r.issueKey ?? r.id} · ${name('status', r.status)}`}>
                          <IssueLink issueKey={r.issueKey ?? r.id} />
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
      {data.status === 'ready' && byDay.size === 0 ? (
        <p style={{ margin: 0, color: token('color.text.subtle') }} data-testid="rg-calendar-empty">
          {t('workbench.calendar.empty')}
        </p>
      ) : null}
    </Stack>
  );
}
