import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState, type FormEvent } from 'react';
import { notify, ResolverError, useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { AlertText, selectStyle } from '../../../shared/ui/form';
import { wallTimeToEpoch } from '../../../shared/zonedTime';
import { useVocabulary } from '../../../shared/vocabulary';
import { deleteFreeze, saveFreeze, type CalendarView, type Classification, type FreezeInput, type FreezeRecurrence, type FreezeSeverity, type FreezeWindow } from '../api';
import { DisabledReason } from './parts';

const CLASSIFICATIONS: Classification[] = ['STANDARD', 'MINOR', 'MAJOR', 'EMERGENCY'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Kind = FreezeRecurrence['kind'];

/** ISO weekday (1 Monday … 7 Sunday) in the user's language. */
function weekdayName(locale: string, d: number): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)));
}

function zoned(locale: string, timeZone: string, ms: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(ms));
}

/** The project's change freezes: listed for everyone; added and removed by the process owner and the release manager. */
export function FreezeSection({ projectId, view, onChanged }: { projectId: string; view: CalendarView; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { name } = useVocabulary();
  const [busy, setBusy] = useState<string | null>(null);
  const may = view.canManageFreezes;

  const describe = (f: FreezeWindow): string => {
    const r = f.recurrence;
    if (r.kind === 'ONCE') return t('workbench.freeze.once', { start: zoned(locale, view.timeZone, r.start), end: zoned(locale, view.timeZone, r.end) });
    if (r.kind === 'MONTH_END') return t('workbench.freeze.monthEnd', { n: r.workingDays });
    return t('workbench.freeze.weekly', { startDay: weekdayName(locale, r.startDay), startTime: r.startTime, endDay: weekdayName(locale, r.endDay), endTime: r.endTime });
  };

  async function remove(f: FreezeWindow) {
    setBusy(f.id);
    try {
      await deleteFreeze({ projectId, expectedVersion: view.freezesVersion, freezeId: f.id });
      notify('success', t('workbench.freeze.deletedFlag'));
      onChanged();
    } catch (err) {
      notify('error', t('common.errorTitle'), err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  const columns: Column<FreezeWindow>[] = [
    { key: 'reason', header: t('workbench.freeze.reasonCol'), render: (f) => <Text weight="semibold">{f.reason}</Text> },
    {
      key: 'severity',
      header: t('workbench.freeze.severityCol'),
      render: (f) => <Lozenge appearance={f.severity === 'HARD' ? 'removed' : 'moved'}>{t(f.severity === 'HARD' ? 'workbench.calendar.hardFreeze' : 'workbench.calendar.softFreeze')}</Lozenge>,
    },
    { key: 'when', header: t('workbench.freeze.whenCol'), render: (f) => describe(f) },
    { key: 'applies', header: t('workbench.freeze.appliesCol'), render: (f) => f.appliesTo.map((c) => name('classification', c)).join(', ') },
    {
      key: 'actions',
      header: t('workbench.col.action'),
      render: (f) => (
        <Button spacing="compact" appearance="subtle" isDisabled={!may || busy !== null} isLoading={busy === f.id} aria-describedby={may ? undefined : 'rg-freeze-reason'} onClick={() => remove(f)}>
          {t('workbench.freeze.delete')}
        </Button>
      ),
    },
  ];

  return (
    <Stack space="space.150" testId="rg-freezes">
      <Stack space="space.050">
        <Text as="strong">{t('workbench.freeze.heading')}</Text>
        <Text as="p" size="small" color="color.text.subtle">
          {t('workbench.freeze.intro', { timeZone: view.timeZone })}
        </Text>
      </Stack>
      {!may ? <DisabledReason id="rg-freeze-reason" text={t('workbench.freeze.whoMay')} /> : null}
      <DataTable caption={t('workbench.freeze.heading')} columns={columns} rows={[...view.freezes]} rowKey={(f) => f.id} empty={t('workbench.freeze.empty')} testId="rg-freeze-list" />
      {may ? <FreezeForm projectId={projectId} view={view} onDone={onChanged} /> : null}
    </Stack>
  );
}

function FreezeForm({ projectId, view, onDone }: { projectId: string; view: CalendarView; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { name } = useVocabulary();
  const [reason, setReason] = useState('');
  const [severity, setSeverity] = useState<FreezeSeverity>('HARD');
  const [kind, setKind] = useState<Kind>('ONCE');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [workingDays, setWorkingDays] = useState('2');
  const [startDay, setStartDay] = useState('5');
  const [startTime, setStartTime] = useState('18:00');
  const [endDay, setEndDay] = useState('1');
  const [endTime, setEndTime] = useState('06:00');
  const [applies, setApplies] = useState<Classification[]>(['STANDARD', 'MINOR', 'MAJOR']);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  function recurrence(): FreezeRecurrence {
    if (kind === 'ONCE') {
      const s = wallTimeToEpoch(start, view.timeZone);
      const e = wallTimeToEpoch(end, view.timeZone);
      if (s === null) throw new ResolverError('VALIDATION_FAILED', t('workbench.freeze.startInvalid'), 'freeze.recurrence.start');
      if (e === null || e <= s) throw new ResolverError('VALIDATION_FAILED', t('workbench.freeze.endInvalid'), 'freeze.recurrence.end');
      return { kind, start: s, end: e };
    }
    if (kind === 'MONTH_END') return { kind, workingDays: Number(workingDays) };
    return { kind, startDay: Number(startDay) as 1, startTime, endDay: Number(endDay) as 1, endTime };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const freeze: FreezeInput = { reason: reason.trim(), severity, appliesTo: applies, recurrence: recurrence() };
      await saveFreeze({ projectId, expectedVersion: view.freezesVersion, freeze });
      setReason('');
      notify('success', t('workbench.freeze.savedFlag'));
      onDone();
    } catch (err) {
      setError({ message: err instanceof Error ? err.message : String(err), ...(err instanceof ResolverError && err.field ? { field: err.field } : {}) });
    } finally {
      setSaving(false);
    }
  }

  const label = (id: string, text: string) => (
    <label htmlFor={id}>
      <Text size="small" weight="semibold">
        {text}
      </Text>
    </label>
  );
  const dayOptions = WEEKDAYS.map((d) => (
    <option key={d} value={d}>
      {weekdayName(locale, d)}
    </option>
  ));

  return (
    <Box as="form" onSubmit={submit} testId="rg-freeze-form">
      <Stack space="space.100">
        <Text as="strong">{t('workbench.freeze.addHeading')}</Text>
        <Stack space="space.050">
          {label('rg-freeze-reason-input', t('workbench.freeze.reasonLabel'))}
          <Textfield id="rg-freeze-reason-input" value={reason} maxLength={200} isRequired isInvalid={error?.field === 'freeze.reason'} onChange={(e) => setReason(e.currentTarget.value)} />
        </Stack>
        <Inline space="space.200" shouldWrap>
          <Stack space="space.050">
            {label('rg-freeze-severity', t('workbench.freeze.severityLabel'))}
            <select id="rg-freeze-severity" style={selectStyle} value={severity} onChange={(e) => setSeverity(e.currentTarget.value as FreezeSeverity)}>
              <option value="HARD">{t('workbench.freeze.hardOption')}</option>
              <option value="SOFT">{t('workbench.freeze.softOption')}</option>
            </select>
          </Stack>
          <Stack space="space.050">
            {label('rg-freeze-kind', t('workbench.freeze.kindLabel'))}
            <select id="rg-freeze-kind" style={selectStyle} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
              <option value="ONCE">{t('workbench.freeze.kindOnce')}</option>
              <option value="MONTH_END">{t('workbench.freeze.kindMonthEnd')}</option>
              <option value="WEEKLY">{t('workbench.freeze.kindWeekly')}</option>
            </select>
          </Stack>
        </Inline>
        {kind === 'ONCE' ? (
          <Inline space="space.200" shouldWrap>
            <Stack space="space.050">
              {label('rg-freeze-start', t('workbench.freeze.startLabel', { timeZone: view.timeZone }))}
              <Textfield id="rg-freeze-start" type="datetime-local" value={start} isRequired isInvalid={error?.field === 'freeze.recurrence.start'} onChange={(e) => setStart(e.currentTarget.value)} />
            </Stack>
            <Stack space="space.050">
              {label('rg-freeze-end', t('workbench.freeze.endLabel', { timeZone: view.timeZone }))}
              <Textfield id="rg-freeze-end" type="datetime-local" value={end} isRequired isInvalid={error?.field === 'freeze.recurrence.end'} onChange={(e) => setEnd(e.currentTarget.value)} />
            </Stack>
          </Inline>
        ) : null}
        {kind === 'MONTH_END' ? (
          <Stack space="space.050">
            {label('rg-freeze-days', t('workbench.freeze.workingDaysLabel'))}
            <Textfield id="rg-freeze-days" type="number" min={1} max={10} value={workingDays} onChange={(e) => setWorkingDays(e.currentTarget.value)} />
          </Stack>
        ) : null}
        {kind === 'WEEKLY' ? (
          <Inline space="space.200" shouldWrap>
            <Stack space="space.050">
              {label('rg-freeze-start-day', t('workbench.freeze.startDayLabel'))}
              <select id="rg-freeze-start-day" style={selectStyle} value={startDay} onChange={(e) => setStartDay(e.currentTarget.value)}>
                {dayOptions}
              </select>
            </Stack>
            <Stack space="space.050">
              {label('rg-freeze-start-time', t('workbench.freeze.startTimeLabel', { timeZone: view.timeZone }))}
              <Textfield id="rg-freeze-start-time" type="time" value={startTime} onChange={(e) => setStartTime(e.currentTarget.value)} />
            </Stack>
            <Stack space="space.050">
              {label('rg-freeze-end-day', t('workbench.freeze.endDayLabel'))}
              <select id="rg-freeze-end-day" style={selectStyle} value={endDay} onChange={(e) => setEndDay(e.currentTarget.value)}>
                {dayOptions}
              </select>
            </Stack>
            <Stack space="space.050">
              {label('rg-freeze-end-time', t('workbench.freeze.endTimeLabel', { timeZone: view.timeZone }))}
              <Textfield id="rg-freeze-end-time" type="time" value={endTime} onChange={(e) => setEndTime(e.currentTarget.value)} />
            </Stack>
          </Inline>
        ) : null}
        <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
          <legend>
            <Text size="small" weight="semibold">
              {t('workbench.freeze.appliesLabel')}
            </Text>
          </legend>
          <Inline space="space.150" shouldWrap>
            {CLASSIFICATIONS.map((c) => (
              <label key={c} style={{ display: 'inline-flex', gap: '0.25rem', alignItems: 'center' }}>
                <input type="checkbox" checked={applies.includes(c)} onChange={(e) => setApplies(e.currentTarget.checked ? [...applies, c] : applies.filter((x) => x !== c))} />
                {name('classification', c)}
              </label>
            ))}
          </Inline>
        </fieldset>
        <AlertText>{error?.message}</AlertText>
        <Inline>
          <Button type="submit" appearance="primary" isLoading={saving} isDisabled={!reason.trim() || applies.length === 0}>
            {t('workbench.freeze.add')}
          </Button>
        </Inline>
      </Stack>
    </Box>
  );
}
