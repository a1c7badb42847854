import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import type { DslItemSummary } from '../../../../../src/domain/dsl';
import { ErrorState, Loading, notify, ResolverError, useAsync, useI18n, type MessageKey } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { cmdbTaskKeyOf, getConsistency, linkItem, listDslItems, type DslFinding, type DslItemRow, type DslStatus } from './api';

/** The Software tab: the release's items in the Definitive Software Library and the consistency checks for the release. */
export const DSL_TAB_READY = true;

export interface DslTabProps {
  releaseId: string;
  projectId: string;
  items: DslItemSummary[];
  /** Reload the panel after a DSL action. */
  onChanged: () => void;
  /** The release's issue key when it closed successfully (its CMDB-update task is linked), else null. */
  cmdbTaskOf?: string | null;
  /** Why the viewer may not add software to this release (the shared decide), or null when they may. */
  linkRefusal?: string | null;
}

const k = (key: string): MessageKey => key as MessageKey;
const APPEARANCE: Record<DslStatus, 'new' | 'inprogress' | 'success' | 'moved' | 'removed' | 'default'> = {
  REGISTERED: 'new',
  APPROVED: 'inprogress',
  IN_LIBRARY: 'success',
  CHECKED_OUT: 'moved',
  SUPERSEDED: 'default',
  RETIRED: 'removed',
};

export function DslTab({ releaseId, projectId, items, onChanged, cmdbTaskOf = null, linkRefusal = null }: DslTabProps) {
  const { t, format } = useI18n();
  const findings = useAsync(() => getConsistency({ projectId, releaseId }), [projectId, releaseId, items]);
  const library = useAsync(() => listDslItems({ projectId, status: 'IN_LIBRARY', limit: 100 }), [projectId, items]);
  const cmdbTask = useAsync(() => (cmdbTaskOf ? cmdbTaskKeyOf(cmdbTaskOf) : Promise.resolve(null)), [cmdbTaskOf]);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const status = (s: DslStatus) => t(k(`dsl.status.${s}`));
  const finding = (f: DslFinding) =>
    t(k(`dsl.finding.${f.code}`), {
      environment: f.environment ? t(k(`dsl.env.${f.environment}`)) : '',
      expected: f.expected ?? '—',
      actual: f.actual ? (f.code === 'SUPERSEDED_STILL_DEPLOYED' || f.code === 'RELEASE_ITEM_NOT_IN_LIBRARY' ? status(f.actual as DslStatus) : f.actual) : '—',
    });
  const nameOf = (id: string | undefined) => {
    const named = id && findings.status === 'ready' ? findings.data.items[id] : undefined;
    if (named) return t('dsl.findingItem', { name: named.name, version: named.version });
    const i = items.find((x) => x.id === id);
    return i ? `${i.name ?? ''} ${i.version ?? ''}`.trim() : '';
  };

  async function add() {
    const item = library.data?.items.find((i) => i.id === choice);
    if (!item || busy) return;
    setBusy(true);
    setError(null);
    try {
      await linkItem({ itemId: item.id, expectedVersion: item.rowVersion, releaseId });
      notify('success', t('dsl.done'));
      setChoice('');
      onChanged();
    } catch (err) {
      setError(err instanceof ResolverError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const columns: Column<DslItemSummary>[] = [
    { key: 'name', header: t('dsl.col.name'), render: (i) => i.name ?? i.id },
    { key: 'version', header: t('dsl.col.version'), render: (i) => i.version ?? '—' },
    { key: 'status', header: t('dsl.col.status'), render: (i) => <Lozenge appearance={APPEARANCE[i.status]}>{status(i.status)}</Lozenge> },
    { key: 'in', header: t('dsl.col.checkedIn'), render: (i) => (i.checkedInAt ? format.dateTime(i.checkedInAt) : '—') },
    { key: 'prod', header: t('dsl.env.PRODUCTION'), render: (i) => (i.productionUpdatedAt ? format.dateTime(i.productionUpdatedAt) : '—') },
  ];
  const linked = new Set(items.map((i) => i.id));
  const candidates: DslItemRow[] = (library.data?.items ?? []).filter((i) => !linked.has(i.id));

  return (
    <Stack space="space.200" testId="rg-software">
      <Heading size="xsmall" as="h3">
        {t('dsl.panel.title')}
      </Heading>
      <DataTable caption={t('dsl.panel.title')} columns={columns} rows={items} rowKey={(i) => i.id} empty={t('dsl.panel.empty')} testId="rg-dsl-items" />
      {cmdbTaskOf ? (
        <Inline space="space.100" alignBlock="center" testId="rg-dsl-cmdb-task">
          <Text weight="bold">{t('dsl.cmdb.task')}:</Text>
          {cmdbTask.status === 'loading' ? <Loading /> : null}
          {cmdbTask.status === 'ready' ? cmdbTask.data ? <IssueLink issueKey={cmdbTask.data} /> : <Text color="color.text.subtle">{t('dsl.cmdb.pending')}</Text> : null}
          {cmdbTask.status === 'error' ? <ErrorState error={cmdbTask.error} onRetry={cmdbTask.reload} /> : null}
        </Inline>
      ) : null}

      <Stack space="space.100">
        <Heading size="xxsmall" as="h4">
          {t('dsl.panel.add')}
        </Heading>
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <label htmlFor="rg-dsl-link">{t('dsl.col.name')}</label>
          <select id="rg-dsl-link" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            <option value="">{t('dsl.action.choose')}</option>
            {candidates.map((i) => (
              <option key={i.id} value={i.id}>{`${i.name} ${i.version}`}</option>
            ))}
          </select>
          <Button isDisabled={!choice || busy || linkRefusal !== null} onClick={() => void add()} testId="rg-dsl-link" aria-describedby={linkRefusal ? 'rg-dsl-link-why' : undefined}>
            {t('dsl.action.link')}
          </Button>
        </Inline>
        {linkRefusal ? (
          <Text size="small" color="color.text.subtle" id="rg-dsl-link-why" testId="rg-dsl-link-refusal">
            {linkRefusal}
          </Text>
        ) : null}
        <Text color="color.text.subtle">{t('dsl.panel.openLibrary')}</Text>
        {error ? (
          <div role="alert">
            <SectionMessage appearance="error">{error}</SectionMessage>
          </div>
        ) : null}
      </Stack>

      <Stack space="space.100">
        <Heading size="xxsmall" as="h4">
          {t('dsl.consistency.title')}
        </Heading>
        {findings.status === 'loading' ? <Loading /> : null}
        {findings.status === 'error' ? <ErrorState error={findings.error} onRetry={findings.reload} /> : null}
        {findings.status === 'ready' ? (
          findings.data.findings.length === 0 ? (
            <SectionMessage appearance="success">{t('dsl.consistency.none')}</SectionMessage>
          ) : (
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="rg-dsl-findings">
              {findings.data.findings.map((f, n) => (
                <li key={`${f.code}-${f.itemId ?? ''}-${f.environment ?? ''}-${n}`} data-testid={`rg-dsl-finding-${f.code}`}>
                  {f.releaseId && findings.data.releases[f.releaseId] ? (
                    <span data-testid="rg-dsl-finding-release">
                      <IssueLink issueKey={findings.data.releases[f.releaseId]?.issueKey ?? ''} />
                      <Text color="color.text.subtle">{findings.data.releases[f.releaseId]?.summary ? ` ${findings.data.releases[f.releaseId]?.summary}` : ''}</Text>
                      <Text>: </Text>
                    </span>
                  ) : null}
                  <Text>{finding(f)}</Text> {nameOf(f.itemId) ? <Text color="color.text.subtle">{nameOf(f.itemId)}</Text> : null}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </Stack>
    </Stack>
  );
}
