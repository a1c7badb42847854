import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import Papa from 'papaparse';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { RESOLVER_KEYS as K } from '../../../../../src/contracts/keys';
import type { AuditEntry, AuditRefs, Page } from '../../../../../src/contracts/views';
import { AUDIT_ACTION_NAMES } from '../../../../../src/domain/audit';
import { AUDIT_EXPORT_COLUMNS, auditExportCells, type AuditExportRow } from '../../../../../src/domain/audit-export';
import { resolver, useI18n, useProductContext } from '../../../shared';
import { AuditChanges, EMPTY_REFS, mergeRefs, useAuditRenderer } from '../../../shared/audit';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { AlertText, selectStyle } from '../../../shared/ui/form';
import { Loading } from '../../../shared/ui/Loading';
import { wallTimeToEpoch } from '../../../shared/zonedTime';
import { hasRole, type PageProps } from '../model';
import { PageHeading } from './parts';

type Filter = {
  from?: number;
  to?: number;
  actorAccountId?: string;
  action?: string;
  releaseId?: string;
  dslItemId?: string;
};

type TrailPage = { items: AuditEntry[]; cursor?: string; refs: AuditRefs };
type VerifyAnswer =
  | { state: 'RUNNING'; events: number; chains: number; cursor: string }
  | { state: 'INTACT'; events: number; chains: number }
  | { state: 'BROKEN'; events: number; chains: number; chainId: string; broken: { problem: string }; event?: { at: number; action: string; subjectType: string }; subject?: string };

const listTrail = resolver<Filter & { projectId: string; cursor?: string; limit?: number }, TrailPage>(K.listAudit);
const exportTrail = resolver<Filter & { projectId: string; cursor?: string }, { rows: AuditExportRow[]; cursor?: string }>(K.exportAudit);
const verifyTrail = resolver<{ projectId: string; cursor?: string }, VerifyAnswer>(K.verifyAudit);
const listItems = resolver<{ projectId: string; limit?: number }, Page<{ id: string; name: string; version: string }>>(K.listDslItems);

function download(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * The auditor's view of the project: the whole trail, filtered by period, person, action, release or DSL item,
 * paged; exported as CSV or JSON (every page of the filtered view, both languages); verified (process owner).
 */
export default function AuditPage({ projectId, roles }: PageProps) {
  const { t, format, timeZone } = useI18n();
  const ctx = useProductContext();
  const [filter, setFilter] = useState<Filter>({});
  const [draft, setDraft] = useState({ from: '', to: '', actor: '', action: '', release: '', item: '' });
  const [formError, setFormError] = useState<string | null>(null);
  const [trail, setTrail] = useState<TrailPage | null>(null);
  const [people, setPeople] = useState<Record<string, string>>({});
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [busy, setBusy] = useState(false);
  const [items, setItems] = useState<{ id: string; label: string }[]>([]);
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportNote, setExportNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [verify, setVerify] = useState<{ running: boolean; text: string; ok: boolean } | null>(null);
  const { render, who, actionLabel } = useAuditRenderer(trail?.refs ?? EMPTY_REFS);
  const owner = hasRole(roles, 'PROCESS_OWNER');

  useEffect(() => {
    let live = true;
    setState('loading');
    listTrail({ projectId, ...filter, limit: 25 }).then(
      (page) => {
        if (!live) return;
        setTrail(page);
        setPeople((p) => ({ ...p, ...page.refs.people }));
        setState('ready');
      },
      () => live && setState('failed'),
    );
    return () => {
      live = false;
    };
  }, [projectId, filter]);

  useEffect(() => {
    listItems({ projectId, limit: 100 }).then(
      (page) => setItems(page.items.map((i) => ({ id: i.id, label: `${i.name} ${i.version}` }))),
      () => setItems([]),
    );
  }, [projectId]);

  const actionOptions = useMemo(() => {
    if (!render) return [];
    return AUDIT_ACTION_NAMES.map((a) => ({ value: a, label: actionLabel(a) })).sort((x, y) => x.label.localeCompare(y.label));
  }, [render, actionLabel]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const from = draft.from ? wallTimeToEpoch(draft.from, timeZone) : undefined;
    const toStart = draft.to ? wallTimeToEpoch(draft.to, timeZone) : undefined;
    const to = toStart !== undefined && toStart !== null ? toStart + 86_400_000 - 1 : undefined;
    if (from !== undefined && from !== null && to !== undefined && to < from) {
      setFormError(t('workbench.audit.periodInvalid'));
      return;
    }
    const release = draft.release.trim().toUpperCase();
    setFilter({
      ...(from !== undefined && from !== null ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(draft.actor ? { actorAccountId: draft.actor } : {}),
      ...(draft.action ? { action: draft.action } : {}),
      ...(release ? { releaseId: release } : {}),
      ...(draft.item && !release ? { dslItemId: draft.item } : {}),
    });
  }

  function clear() {
    setDraft({ from: '', to: '', actor: '', action: '', release: '', item: '' });
    setFormError(null);
    setFilter({});
  }

  async function more() {
    if (!trail?.cursor) return;
    setBusy(true);
    try {
      const page = await listTrail({ projectId, ...filter, cursor: trail.cursor, limit: 25 });
      setTrail({ items: [...trail.items, ...page.items], ...(page.cursor ? { cursor: page.cursor } : {}), refs: mergeRefs(trail.refs, page.refs) });
      setPeople((p) => ({ ...p, ...page.refs.people }));
    } catch {
      setState('failed');
    } finally {
      setBusy(false);
    }
  }

  async function exportAs(kind: 'csv' | 'json') {
    setExportNote(null);
    setExporting(t('workbench.audit.exporting', { count: 0 }));
    const rows: AuditExportRow[] = [];
    try {
      let cursor: string | undefined;
      do {
        const page = await exportTrail({ projectId, ...filter, ...(cursor ? { cursor } : {}) });
        rows.push(...page.rows);
        cursor = page.cursor;
        setExporting(t('workbench.audit.exporting', { count: rows.length }));
      } while (cursor);
      const stamp = new Date().toISOString().slice(0, 10);
      const key = ctx.extension.project?.key ?? projectId;
      const file = `audit-${key}-${stamp}.${kind}`;
      if (kind === 'csv') {
        download(file, 'text/csv;charset=utf-8', `\uFEFF${Papa.unparse({ fields: [...AUDIT_EXPORT_COLUMNS], data: rows.map(auditExportCells) })}`);
      } else {
        const body = { format: 'release-governance-audit/1', project: { id: projectId, key }, exportedAt: new Date().toISOString(), filter, count: rows.length, events: rows };
        download(file, 'application/json', JSON.stringify(body, null, 2));
      }
      setExportNote({ ok: true, text: t('workbench.audit.exported', { count: rows.length, file }) });
    } catch (err) {
      setExportNote({ ok: false, text: t('workbench.audit.exportFailed', { message: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setExporting(null);
    }
  }

  async function runVerify() {
    setVerify({ running: true, ok: true, text: t('workbench.audit.verifying', { events: 0, chains: 0 }) });
    try {
      let cursor: string | undefined;
      for (;;) {
        const out = await verifyTrail({ projectId, ...(cursor ? { cursor } : {}) });
        if (out.state === 'RUNNING') {
          cursor = out.cursor;
          setVerify({ running: true, ok: true, text: t('workbench.audit.verifying', { events: out.events, chains: out.chains }) });
          continue;
        }
        if (out.state === 'INTACT') setVerify({ running: false, ok: true, text: t('workbench.audit.intact', { events: out.events, chains: out.chains }) });
        else {
          const action = out.event ? actionLabel(out.event.action) : '—';
          setVerify({
            running: false,
            ok: false,
            text: t('workbench.audit.broken', {
              subject: out.subject ?? t('workbench.audit.subjectProject'),
              action,
              when: out.event ? format.dateTime(out.event.at) : '—',
              problem: t(`workbench.audit.problem.${out.broken.problem}` as 'workbench.audit.problem.HASH_MISMATCH'),
            }),
          });
        }
        return;
      }
    } catch (err) {
      setVerify({ running: false, ok: false, text: t('workbench.audit.verifyFailed', { message: err instanceof Error ? err.message : String(err) }) });
    }
  }

  const subjectOf = (e: AuditEntry) => {
    if (e.subjectType === 'RELEASE') {
      const key = trail?.refs.releases[e.subjectId];
      return key ? <IssueLink issueKey={key} /> : '—';
    }
    if (e.subjectType === 'DSL_ITEM') return trail?.refs.dslItems[e.subjectId] ?? '—';
    return t('workbench.audit.subjectProject');
  };

  const columns: Column<AuditEntry>[] = render
    ? [
        { key: 'when', header: t('panel.history.when'), render: (e) => format.dateTime(e.at) },
        { key: 'who', header: t('panel.history.who'), render: (e) => <span title={e.actorAccountId === 'app' || e.actorAccountId.startsWith('pipeline:') ? undefined : e.actorAccountId}>{who(e)}</span> },
        { key: 'subject', header: t('workbench.audit.subject'), render: subjectOf },
        { key: 'what', header: t('panel.history.what'), render: (e) => render(e).action },
        {
          key: 'change',
          header: t('panel.history.change'),
          render: (e) => {
            const r = render(e);
            return (
              <Stack space="space.050">
                {r.reason ? (
                  <Text weight="semibold" size="small">
                    {t('panel.history.reasonLine', { reason: r.reason })}
                  </Text>
                ) : null}
                <AuditChanges event={r} />
              </Stack>
            );
          },
        },
      ]
    : [];

  const set = (k: keyof typeof draft) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [k]: e.currentTarget.value });

  return (
    <Stack space="space.200" testId="rg-audit">
      <PageHeading
        title={t('workbench.audit.title')}
        intro={t('workbench.audit.intro')}
        actions={
          <Inline space="space.100" shouldWrap>
            <Button onClick={() => void exportAs('csv')} isDisabled={exporting !== null} testId="rg-audit-export-csv">
              {t('workbench.audit.exportCsv')}
            </Button>
            <Button onClick={() => void exportAs('json')} isDisabled={exporting !== null} testId="rg-audit-export-json">
              {t('workbench.audit.exportJson')}
            </Button>
            {owner ? (
              <Button appearance="primary" onClick={() => void runVerify()} isDisabled={verify?.running === true} testId="rg-audit-verify">
                {t('workbench.audit.verify')}
              </Button>
            ) : null}
          </Inline>
        }
      />
      {exporting ? <Text testId="rg-audit-exporting">{exporting}</Text> : null}
      {exportNote ? (
        <Box testId="rg-audit-export-note">
          <SectionMessage appearance={exportNote.ok ? 'success' : 'error'}>
            <Text>{exportNote.text}</Text>
          </SectionMessage>
        </Box>
      ) : null}
      {verify ? (
        <Box testId="rg-audit-verify-result">
          <SectionMessage appearance={verify.running ? 'information' : verify.ok ? 'success' : 'error'}>
            <Text>{verify.text}</Text>
          </SectionMessage>
        </Box>
      ) : null}
      <form onSubmit={apply} data-testid="rg-audit-filters">
        <Inline space="space.150" shouldWrap alignBlock="end">
          <label>
            <Text size="small">{t('workbench.audit.from')}</Text>
            <Textfield type="date" value={draft.from} onChange={set('from')} testId="rg-audit-from" />
          </label>
          <label>
            <Text size="small">{t('workbench.audit.to')}</Text>
            <Textfield type="date" value={draft.to} onChange={set('to')} testId="rg-audit-to" />
          </label>
          <label>
            <Text size="small">{t('workbench.audit.person')}</Text>
            <select style={selectStyle} value={draft.actor} onChange={set('actor')} data-testid="rg-audit-person">
              <option value="">{t('workbench.audit.personAny')}</option>
              {Object.entries(people)
                .sort((a, b) => a[1].localeCompare(b[1]))
                .map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            <Text size="small">{t('workbench.audit.action')}</Text>
            <select style={selectStyle} value={draft.action} onChange={set('action')} data-testid="rg-audit-action">
              <option value="">{t('workbench.audit.actionAny')}</option>
              {actionOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <Text size="small">{t('workbench.audit.release')}</Text>
            <Textfield value={draft.release} onChange={set('release')} placeholder={t('workbench.audit.releaseHint')} testId="rg-audit-release" />
          </label>
          <label>
            <Text size="small">{t('workbench.audit.dslItem')}</Text>
            <select style={selectStyle} value={draft.item} onChange={set('item')} data-testid="rg-audit-item">
              <option value="">{t('workbench.audit.dslItemAny')}</option>
              {items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" appearance="primary" testId="rg-audit-apply">
            {t('workbench.audit.apply')}
          </Button>
          <Button onClick={clear} testId="rg-audit-clear">
            {t('workbench.audit.clear')}
          </Button>
        </Inline>
        {formError ? <AlertText>{formError}</AlertText> : null}
      </form>
      {state === 'failed' ? <AlertText>{t('workbench.audit.failed')}</AlertText> : null}
      {state === 'loading' || !render || !trail ? (
        <Loading label={t('workbench.audit.loading')} />
      ) : (
        <>
          <DataTable caption={t('workbench.audit.title')} columns={columns} rows={trail.items} rowKey={(e) => e.id} empty={t('workbench.audit.none')} testId="rg-audit-table" />
          {trail.cursor ? (
            <div>
              <Button onClick={() => void more()} isLoading={busy} testId="rg-audit-more">
                {t('workbench.audit.more')}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </Stack>
  );
}
