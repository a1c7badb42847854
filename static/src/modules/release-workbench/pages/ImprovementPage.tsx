import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState, type FormEvent } from 'react';
import { ErrorState, Loading, notify, ResolverError, useAsync, useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { Person } from '../../../shared/people';
import { useVocabulary } from '../../../shared/vocabulary';
import { Label } from '@atlaskit/form';
import { listImprovementActions, listReleases, manageImprovementAction, proposeImprovementAction, type ImprovementRow } from '../api';
import { ConfirmBox } from '../../../shared/ui/ConfirmBox';
import { selectStyle } from '../../../shared/ui/form';
import { PersonField } from '../../../shared/ui/PersonField';
import { epochToWallTime, wallTimeToEpoch } from '../../../shared/zonedTime';
import { hasRole, type PageProps } from '../model';
import { DisabledReason, PageHeading } from './parts';

type Row = ImprovementRow;

/**
 * A due date (`YYYY-MM-DD` from the date field) as the end of that day in the user's time zone, so that
 * 2026-12-15 entered in Asia/Shanghai reads as Dec 15 there (and everywhere it is shown in that zone).
 */
export function endOfDay(value: string, timeZone: string | undefined): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return wallTimeToEpoch(`${value}T23:59`, timeZone);
}

/** Today plus `days`, as the user's calendar date (`YYYY-MM-DD`). */
function dateIn(ms: number, timeZone: string | undefined): string {
  return epochToWallTime(ms, timeZone).slice(0, 10);
}

/**
 * Process improvement: actions by due date, overdue flagged. The process owner adds (with a due date),
 * completes and removes them; a release manager proposes; everyone else reads.
 */
export default function ImprovementPage({ projectId, accountId, roles, keyOf, now }: PageProps) {
  const { t, format } = useI18n();
  const { name } = useVocabulary();
  const list = useAsync(() => listImprovementActions({ projectId, limit: 100 }), [projectId]);
  // Removing an action cannot be undone: asked first.
  const [deleting, setDeleting] = useState<Row | null>(null);
  const owner = hasRole(roles, 'PROCESS_OWNER');
  const mayPropose = hasRole(roles, 'PROCESS_OWNER', 'RELEASE_MANAGER');
  const [busy, setBusy] = useState<string | null>(null);

  async function run(id: string, work: () => Promise<unknown>, done: string) {
    setBusy(id);
    try {
      await work();
      notify('success', done);
      list.reload();
    } catch (err) {
      notify('error', t('common.errorTitle'), err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  const versionOf = (a: Row) => a.version;

  const columns: Column<Row>[] = [
    { key: 'title', header: t('workbench.improvement.titleCol'), render: (a) => <Text weight="semibold">{a.title}</Text> },
    {
      key: 'source',
      header: t('workbench.col.release'),
      render: (a) => {
        const key = a.sourceIssueKey ?? (a.sourceReleaseId ? keyOf(a.sourceReleaseId) : undefined);
        return key ? <IssueLink issueKey={key} /> : '—';
      },
    },
    { key: 'owner', header: t('workbench.improvement.owner'), render: (a) => (a.ownerAccountId === accountId ? t('workbench.you') : <Person accountId={a.ownerAccountId} />) },
    { key: 'due', header: t('workbench.col.due'), render: (a) => format.date(a.dueAt) },
    {
      key: 'state',
      header: t('workbench.col.state'),
      render: (a) =>
        a.completedAt !== null ? (
          <Lozenge appearance="success">{t('workbench.improvement.completed', { date: format.date(a.completedAt) })}</Lozenge>
        ) : a.overdue ? (
          <Lozenge appearance="removed" isBold>
            {t('workbench.overdue')}
          </Lozenge>
        ) : (
          <Lozenge appearance="inprogress">{t('workbench.open')}</Lozenge>
        ),
    },
    {
      key: 'actions',
      header: t('workbench.col.action'),
      render: (a) => (
        <Inline space="space.050">
          {a.completedAt === null ? (
            <Button
              spacing="compact"
              isDisabled={!owner || busy !== null}
              isLoading={busy === `c${a.id}`}
              aria-describedby={owner ? undefined : 'rg-improvement-reason'}
              onClick={() =>
                run(`c${a.id}`, () => manageImprovementAction({ op: 'COMPLETE', projectId, actionId: a.id, expectedVersion: versionOf(a), completedAt: Date.now() }), t('workbench.improvement.completedFlag'))
              }
            >
              {t('workbench.improvement.complete')}
            </Button>
          ) : null}
          <Button
            spacing="compact"
            appearance="subtle"
            isDisabled={!owner || busy !== null}
            isLoading={busy === `d${a.id}`}
            aria-describedby={owner ? undefined : 'rg-improvement-reason'}
            onClick={() => setDeleting(a)}
          >
            {t('workbench.improvement.delete')}
          </Button>
        </Inline>
      ),
    },
  ];

  return (
    <Stack space="space.200">
      <PageHeading title={t('workbench.improvement.title')} intro={t('workbench.improvement.intro')} />
      {!owner ? <DisabledReason id="rg-improvement-reason" text={name('reason', 'NOT_PROCESS_OWNER')} /> : null}
      {list.status === 'loading' ? <Loading /> : null}
      {list.status === 'error' ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {deleting ? (
        <ConfirmBox
          text={t('workbench.improvement.confirmDelete', { title: deleting.title })}
          yes={t('workbench.improvement.confirmDeleteYes')}
          no={t('panel.confirm.no')}
          danger
          busy={busy === `d${deleting.id}`}
          onYes={() => {
            const a = deleting;
            void run(`d${a.id}`, () => manageImprovementAction({ op: 'DELETE', projectId, actionId: a.id, expectedVersion: versionOf(a) }), t('workbench.improvement.deletedFlag')).then(() => setDeleting(null));
          }}
          onNo={() => setDeleting(null)}
          testId="rg-confirm-improvement-delete"
        />
      ) : null}
      {list.status === 'ready' ? (
        <DataTable
          caption={t('workbench.improvement.title')}
          columns={columns}
          rows={list.data.items}
          rowKey={(a) => a.id}
          empty={t('workbench.improvement.empty')}
          testId="rg-improvements"
        />
      ) : null}
      <ImprovementForm projectId={projectId} accountId={accountId} owner={owner} mayPropose={mayPropose} now={now} onDone={list.reload} />
    </Stack>
  );
}

function ImprovementForm({
  projectId,
  accountId,
  owner,
  mayPropose,
  now,
  onDone,
}: {
  projectId: string;
  accountId: string | undefined;
  owner: boolean;
  mayPropose: boolean;
  now: number;
  onDone: () => void;
}) {
  const { t, timeZone } = useI18n();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [due, setDue] = useState(() => dateIn(now + 30 * 86_400_000, timeZone));
  const [ownerId, setOwnerId] = useState(accountId ?? '');
  const [source, setSource] = useState('');
  // The releases an action may come from (their process evaluation): the project's newest, closed ones first.
  const releases = useAsync(() => listReleases({ projectId, limit: 100 }).then((p) => p.items), [projectId]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const creates = owner && accountId !== undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!title.trim()) return;
    setSaving(true);
    setError(null);
    try {
      const dueAt = endOfDay(due, timeZone);
      const from = source ? { sourceReleaseId: source } : {};
      if (creates && accountId) {
        if (dueAt === null) throw new ResolverError('VALIDATION_FAILED', t('workbench.improvement.dueInvalid'), 'dueAt');
        if (!ownerId) throw new ResolverError('VALIDATION_FAILED', t('workbench.improvement.ownerRequired'), 'ownerAccountId');
        await manageImprovementAction({ op: 'CREATE', projectId, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), ownerAccountId: ownerId, dueAt, ...from });
      } else {
        await proposeImprovementAction({ projectId, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...from });
      }
      setTitle('');
      setDescription('');
      setSource('');
      notify('success', creates ? t('workbench.improvement.createdFlag') : t('workbench.improvement.proposedFlag'));
      onDone();
    } catch (err) {
      setError({ message: err instanceof Error ? err.message : String(err), ...(err instanceof ResolverError && err.field ? { field: err.field } : {}) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Box as="form" onSubmit={submit} testId="rg-improvement-form">
      <Stack space="space.100">
        <Text as="strong">{creates ? t('workbench.improvement.addHeading') : t('workbench.improvement.proposeHeading')}</Text>
        {!mayPropose ? <DisabledReason id="rg-propose-reason" text={t('workbench.improvement.proposeReason')} /> : null}
        <Stack space="space.050">
          <label htmlFor="rg-improvement-title">
            <Text size="small" weight="semibold">
              {t('workbench.improvement.titleLabel')}
            </Text>
          </label>
          <Textfield id="rg-improvement-title" value={title} maxLength={200} isDisabled={!mayPropose} isInvalid={error?.field === 'title'} onChange={(e) => setTitle(e.currentTarget.value)} />
        </Stack>
        <Stack space="space.050">
          <label htmlFor="rg-improvement-description">
            <Text size="small" weight="semibold">
              {t('workbench.improvement.descriptionLabel')}
            </Text>
          </label>
          <Textfield id="rg-improvement-description" value={description} maxLength={10_000} isDisabled={!mayPropose} onChange={(e) => setDescription(e.currentTarget.value)} />
        </Stack>
        <Stack space="space.050">
          <label htmlFor="rg-improvement-source">
            <Text size="small" weight="semibold">
              {t('workbench.improvement.sourceLabel')}
            </Text>
          </label>
          <select id="rg-improvement-source" value={source} disabled={!mayPropose} onChange={(e) => setSource(e.currentTarget.value)} style={selectStyle}>
            <option value="">{t('workbench.improvement.noSource')}</option>
            {(releases.status === 'ready' ? [...releases.data].sort((a, b) => Number(b.status === 'CLOSED') - Number(a.status === 'CLOSED')) : []).map((r) => (
              <option key={r.id} value={r.id}>
                {[r.issueKey ?? r.id, r.summary].filter(Boolean).join(' · ')}
              </option>
            ))}
          </select>
        </Stack>
        {creates ? (
          <Stack space="space.050">
            <Label htmlFor="rg-improvement-owner" id="rg-improvement-owner-label">
              {t('workbench.improvement.ownerLabel')}
            </Label>
            <PersonField
              id="rg-improvement-owner"
              value={ownerId}
              onChange={setOwnerId}
              pool="BROWSERS"
              projectId={projectId}
              suggestions={accountId ? [accountId] : []}
              isRequired
              isInvalid={error?.field === 'ownerAccountId'}
              labelId="rg-improvement-owner-label"
            />
          </Stack>
        ) : null}
        {creates ? (
          <Stack space="space.050">
            <label htmlFor="rg-improvement-due">
              <Text size="small" weight="semibold">
                {t('workbench.improvement.dueLabel', { tz: timeZone ?? 'UTC' })}
              </Text>
            </label>
            <Textfield id="rg-improvement-due" type="date" value={due} isInvalid={error?.field === 'dueAt'} onChange={(e) => setDue(e.currentTarget.value)} />
          </Stack>
        ) : null}
        {error ? (
          <Text as="p" color="color.text.danger" testId="rg-improvement-error">
            {error.message}
          </Text>
        ) : null}
        <Inline>
          <Button
            type="submit"
            appearance="primary"
            isLoading={saving}
            isDisabled={!mayPropose || !title.trim()}
            aria-describedby={!mayPropose ? 'rg-propose-reason' : undefined}
          >
            {creates ? t('workbench.improvement.add') : t('workbench.improvement.propose')}
          </Button>
        </Inline>
      </Stack>
    </Box>
  );
}
