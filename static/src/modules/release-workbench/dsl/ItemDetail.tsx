import Button from '@atlaskit/button/new';
import { ConfirmBox } from '../../../shared/ui/ConfirmBox';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useRef, useState, type ReactNode } from 'react';
import { ErrorState, Loading, notify, useAsync, useI18n } from '../../../shared';
import { Person, usePersonName } from '../../../shared/people';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import {
  approveItem,
  checkInItem,
  checkOutItem,
  decideUsage,
  getDslItem,
  listFixVersions,
  replaceItem,
  requestUsage,
  retireItem,
  returnItem,
  type DslEnvironment,
  type DslHistoryEvent,
  type DslItemView,
  type UsageRequestRow,
} from './api';
import { AuditForm } from './AuditForm';
import { ActionError, DslActionButton, DslStatusLozenge, Field, grid, k, Select, TextInput, useAction, useDslWords, type CanDo } from './parts';
import { releaseKeysOf } from './RegisterForm';
import { IssueLink } from '../../../shared/ui/IssueLink';

/** One item: its record, where it runs, its usage requests, the actions its status allows, and its history. */
export function ItemDetail({ itemId, can, onChanged, onClose, onOpen }: { itemId: string; can: CanDo; onChanged: () => void; onClose: () => void; onOpen: (id: string) => void }) {
  const { t, format } = useI18n();
  const words = useDslWords();
  const view = useAsync(() => getDslItem({ itemId }), [itemId]);
  const fixVersions = useAsync(() => (view.data?.item.fixVersionId ? listFixVersions({ projectId: view.data.item.projectId }) : Promise.resolve([])), [view.data?.item.fixVersionId]);
  const action = useAction();
  const [reason, setReason] = useState('');
  const [replacement, setReplacement] = useState('');
  const [usage, setUsage] = useState<string>('');
  // Replace and retire cannot be undone: each asks first, under its button.
  const [confirming, setConfirming] = useState<'replace' | 'retire' | null>(null);
  const [req, setReq] = useState<{ purpose: string; environment: DslEnvironment; releaseId: string }>({ purpose: '', environment: 'TEST', releaseId: '' });

  // While it reloads after an action the item stays on screen (an audit's answer, a refusal stay readable).
  const last = useRef<DslItemView | null>(null);
  if (view.status === 'ready') last.current = view.data;
  const shown = view.status === 'ready' ? view.data : last.current;
  if (view.status === 'error') return <ErrorState error={view.error} onRetry={view.reload} />;
  if (!shown) return <Loading />;
  const { item, history, usageRequests, environments, related, releases, replacementCandidates: replacements } = shown;
  const releaseLink = (id: string | null | undefined) => (id ? releases[id] ? <IssueLink key={id} issueKey={releases[id].issueKey} /> : <span key={id}>{t('dsl.detail.none')}</span> : null);
  const differencesText = (ds: readonly { field: string; expected: string; actual: string }[] | undefined) =>
    (ds ?? []).map((d) => t('dsl.history.difference', { field: fieldName(d.field), expected: d.expected || '—', actual: d.actual || '—' })).join('; ');
  const fieldName = (f: string) => (['sha256', 'sizeBytes', 'storageUri', 'version', 'licence'].includes(f) ? t(k(`dsl.auditField.${f}`)) : f);
  const on = { itemId: item.id, expectedVersion: item.rowVersion };
  const done = async (work: () => Promise<unknown>) => {
    const res = await action.run(work);
    if (res !== undefined) {
      notify('success', t('dsl.done'));
      view.reload();
      onChanged();
    }
  };
  const approvedRequests = usageRequests.filter((u) => u.status === 'APPROVED');

  const historyColumns: Column<DslHistoryEvent>[] = [
    { key: 'when', header: t('dsl.col.when'), render: (e) => format.dateTime(e.at) },
    { key: 'event', header: t('dsl.col.event'), render: (e) => t(k(`dsl.history.${e.type}`)) },
    { key: 'who', header: t('dsl.col.who'), render: (e) => <Person accountId={e.actorAccountId} /> },
    {
      key: 'details',
      header: t('dsl.col.details'),
      render: (e) => (
        <span>
          {[
            e.matched === true ? t('dsl.history.matched') : e.matched === false ? t('dsl.history.mismatched', { fields: differencesText(e.differences) }) : '',
            e.environment ? words.env(e.environment) : '',
            e.note ?? '',
          ]
            .filter(Boolean)
            .join(' · ')}
          {e.releaseId ? (
            <>
              {e.matched !== undefined || e.environment || e.note ? ' · ' : ''}
              {releaseLink(e.releaseId)}
            </>
          ) : null}
        </span>
      ),
    },
  ];
  const usageColumns: Column<UsageRequestRow>[] = [
    { key: 'when', header: t('dsl.col.when'), render: (u) => format.dateTime(u.requestedAt) },
    { key: 'who', header: t('dsl.col.requester'), render: (u) => <Person accountId={u.requesterAccountId} /> },
    { key: 'purpose', header: t('dsl.col.purpose'), render: (u) => u.purpose },
    { key: 'env', header: t('dsl.col.environment'), render: (u) => words.env(u.environment) },
    { key: 'release', header: t('dsl.col.release'), render: (u) => releaseLink(u.releaseId) ?? '—' },
    { key: 'state', header: t('dsl.col.state'), render: (u) => <Lozenge>{words.usage(u.status)}</Lozenge> },
    {
      key: 'decide',
      header: '',
      render: (u) =>
        u.status === 'REQUESTED' ? (
          <Inline space="space.050">
            <DslActionButton permission={can('dslCheckOut')} onClick={() => void done(() => decideUsage({ requestId: u.id, expectedVersion: u.rowVersion, approve: true }))} testId={`rg-dsl-usage-approve-${u.id}`}>
              {t('dsl.usage.approve')}
            </DslActionButton>
            <DslActionButton permission={can('dslCheckOut')} onClick={() => void done(() => decideUsage({ requestId: u.id, expectedVersion: u.rowVersion, approve: false }))} testId={`rg-dsl-usage-reject-${u.id}`}>
              {t('dsl.usage.reject')}
            </DslActionButton>
          </Inline>
        ) : null,
    },
  ];

  const box = { padding: token('space.150'), border: `1px solid ${token('color.border')}`, borderRadius: 3 };
  return (
    <Box as="section" aria-labelledby="rg-dsl-item-title" testId="rg-dsl-item">
      <div style={box}>
        <Stack space="space.200">
          <Inline spread="space-between" alignBlock="center">
            <Inline space="space.100" alignBlock="center">
              <Heading size="xsmall" as="h3" id="rg-dsl-item-title">
                {t('dsl.detail.title', { name: item.name, version: item.version })}
              </Heading>
              <DslStatusLozenge status={item.status} />
            </Inline>
            <Button appearance="subtle" onClick={onClose}>
              {t('dsl.action.close')}
            </Button>
          </Inline>
          <dl style={{ ...grid, margin: 0 }}>
            {(
              [
                [t('dsl.col.sha256'), <code style={{ wordBreak: 'break-all' }}>{item.sha256}</code>],
                [t('dsl.col.size'), format.number(item.sizeBytes)],
                [t('dsl.col.licence'), item.licence || '—'],
                [t('dsl.col.vendor'), item.vendor || '—'],
                [t('dsl.col.storage'), item.storageUri],
                [t('dsl.col.mediaType'), item.mediaType || '—'],
                [t('dsl.col.fixVersion'), item.fixVersionId ? (fixVersions.status === 'loading' ? '…' : (fixVersions.data?.find((v) => v.id === item.fixVersionId)?.name ?? '—')) : '—'],
                [t('dsl.col.cmdb'), item.cmdbCiRef ?? '—'],
                [t('dsl.col.releases'), item.releaseIds.length > 0 ? <span data-testid="rg-dsl-item-releases">{item.releaseIds.map((id, n) => <span key={id}>{n > 0 ? ', ' : ''}{releaseLink(id)}</span>)}</span> : '—'],
                [
                  t('dsl.detail.lastAudit'),
                  item.lastAudit ? (
                    <span data-testid="rg-dsl-last-audit">{`${format.dateTime(item.lastAudit.at)} · ${item.lastAudit.matched ? t('dsl.history.matched') : t('dsl.history.mismatched', { fields: differencesText(item.lastAudit.differences) })}`}</span>
                  ) : (
                    '—'
                  ),
                ],
              ] as [string, ReactNode][]
            ).map(([label, value]) => (
              <div key={label}>
                <dt style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>{label}</dt>
                <dd style={{ margin: 0 }}>{value}</dd>
              </div>
            ))}
          </dl>
          {related.length > 0 ? (
            <Inline space="space.100" shouldWrap>
              {related.map((r) => (
                <Button key={r.id} appearance="subtle" onClick={() => onOpen(r.id)}>
                  {`${r.id === item.supersedesItemId ? t('dsl.detail.supersedes') : t('dsl.detail.supersededBy')}: ${r.name} ${r.version}`}
                </Button>
              ))}
            </Inline>
          ) : null}
          <Text>
            {t('dsl.detail.environments')}:{' '}
            {environments.length === 0 ? t('dsl.detail.notDeployed') : environments.map((e) => `${words.env(e.environment)} ${e.version}${e.itemId === item.id ? '' : ' ≠'}`).join(' · ')}
          </Text>
          {item.checkout ? (
            <CheckoutLine checkedOutBy={item.checkout.checkedOutBy} requester={item.checkout.requesterAccountId} purpose={item.checkout.purpose} environment={words.env(item.checkout.environment)} />
          ) : null}

          <ActionError error={action.error} />
          <Inline space="space.100" shouldWrap alignBlock="end" testId="rg-dsl-actions">
            {item.status === 'REGISTERED' ? (
              <DslActionButton permission={can('dslApprove', item)} onClick={() => void done(() => approveItem(on))} testId="rg-dsl-approve">
                {t('dsl.action.approve')}
              </DslActionButton>
            ) : null}
            {item.status === 'APPROVED' ? (
              <DslActionButton permission={can('dslCheckIn', item)} onClick={() => void done(() => checkInItem(on))} testId="rg-dsl-checkin">
                {t('dsl.action.checkIn')}
              </DslActionButton>
            ) : null}
            {item.status === 'IN_LIBRARY' ? (
              <Inline space="space.050" alignBlock="end">
                <Field id="rg-dsl-usage" label={t('dsl.usage.title')}>
                  <Select id="rg-dsl-usage" value={usage} onChange={setUsage} options={[{ value: '', label: t('dsl.action.choose') }, ...approvedRequests.map((u) => ({ value: u.id, label: `${format.dateTime(u.requestedAt)} · ${u.purpose}` }))]} />
                </Field>
                <DslActionButton permission={can('dslCheckOut', item, { usageRequestId: usage })} onClick={() => void done(() => checkOutItem({ ...on, usageRequestId: usage }))} testId="rg-dsl-checkout">
                  {t('dsl.action.checkOut')}
                </DslActionButton>
              </Inline>
            ) : null}
            {item.status === 'CHECKED_OUT' ? (
              <DslActionButton permission={can('dslReturn', item)} onClick={() => void done(() => returnItem(on))} testId="rg-dsl-return">
                {t('dsl.action.return')}
              </DslActionButton>
            ) : null}
            {item.status === 'IN_LIBRARY' || item.status === 'CHECKED_OUT' ? (
              <Inline space="space.050" alignBlock="end">
                <Field id="rg-dsl-replacement" label={t('dsl.action.replacement')}>
                  <Select id="rg-dsl-replacement" value={replacement} onChange={setReplacement} options={[{ value: '', label: t('dsl.action.choose') }, ...replacements.map((r) => ({ value: r.id, label: `${r.name} ${r.version} · ${words.status(r.status)}` }))]} />
                </Field>
                <DslActionButton permission={can('dslReplace', item)} disabled={!replacement} onClick={() => setConfirming('replace')} testId="rg-dsl-replace">
                  {t('dsl.action.replace')}
                </DslActionButton>
              </Inline>
            ) : null}
            {item.status === 'REGISTERED' || item.status === 'APPROVED' || item.status === 'IN_LIBRARY' ? (
              <Inline space="space.050" alignBlock="end">
                <Field id="rg-dsl-reason" label={t('dsl.action.reason')}>
                  <TextInput id="rg-dsl-reason" value={reason} onChange={setReason} />
                </Field>
                <DslActionButton appearance="danger" permission={can('dslRetire', item)} disabled={!reason.trim()} onClick={() => setConfirming('retire')} testId="rg-dsl-retire">
                  {t('dsl.action.retire')}
                </DslActionButton>
              </Inline>
            ) : null}
          </Inline>

          {confirming ? (
            <ConfirmBox
              text={
                confirming === 'replace'
                  ? t('dsl.confirm.replace', { item: `${item.name} ${item.version}`, replacement: (() => { const r = replacements.find((r) => r.id === replacement); return r ? `${r.name} ${r.version}` : ''; })() })
                  : t('dsl.confirm.retire', { item: `${item.name} ${item.version}` })
              }
              yes={t('dsl.confirm.yes', { action: confirming === 'replace' ? t('dsl.action.replace') : t('dsl.action.retire') })}
              no={t('dsl.confirm.no')}
              danger
              busy={action.busy}
              onYes={() => {
                const what = confirming;
                setConfirming(null);
                void done(() => (what === 'replace' ? replaceItem({ ...on, replacementItemId: replacement }) : retireItem({ ...on, reason })));
              }}
              onNo={() => setConfirming(null)}
              testId="rg-confirm-dsl"
            />
          ) : null}
          {item.status !== 'REGISTERED' ? <AuditForm item={item} permission={can('dslAudit', item)} onDone={() => { view.reload(); onChanged(); }} /> : null}

          <Stack space="space.100">
            <Heading size="xxsmall" as="h4">
              {t('dsl.usage.title')}
            </Heading>
            <DataTable caption={t('dsl.usage.title')} columns={usageColumns} rows={usageRequests} rowKey={(u) => u.id} empty={t('dsl.usage.empty')} testId="rg-dsl-usage" />
            {item.status === 'IN_LIBRARY' || item.status === 'CHECKED_OUT' ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const [releaseKey] = releaseKeysOf(req.releaseId);
                  void done(() => requestUsage({ itemId: item.id, purpose: req.purpose, environment: req.environment, ...(releaseKey ? { releaseKey } : {}) }));
                }}
              >
                <Inline space="space.100" alignBlock="end" shouldWrap>
                  <Field id="rg-dsl-req-purpose" label={t('dsl.usage.purpose')}>
                    <TextInput id="rg-dsl-req-purpose" value={req.purpose} onChange={(v) => setReq((x) => ({ ...x, purpose: v }))} required />
                  </Field>
                  <Field id="rg-dsl-req-env" label={t('dsl.usage.environment')}>
                    <Select<DslEnvironment> id="rg-dsl-req-env" value={req.environment} onChange={(v) => setReq((x) => ({ ...x, environment: v || 'TEST' }))} options={[{ value: 'TEST', label: words.env('TEST') }, { value: 'PRODUCTION', label: words.env('PRODUCTION') }]} />
                  </Field>
                  <Field id="rg-dsl-req-release" label={t('dsl.usage.release')}>
                    <TextInput id="rg-dsl-req-release" value={req.releaseId} onChange={(v) => setReq((x) => ({ ...x, releaseId: v }))} placeholder="PAY-196" />
                  </Field>
                  <Button type="submit" isDisabled={!req.purpose.trim() || action.busy}>
                    {t('dsl.usage.request')}
                  </Button>
                </Inline>
              </form>
            ) : null}
          </Stack>

          <Stack space="space.100">
            <Heading size="xxsmall" as="h4">
              {t('dsl.history.title')}
            </Heading>
            <DataTable caption={t('dsl.history.title')} columns={historyColumns} rows={history} rowKey={(e) => e.id} empty="—" testId="rg-dsl-history" />
          </Stack>
        </Stack>
      </div>
    </Box>
  );
}

/** Who has the item checked out, and for whom, by name. */
function CheckoutLine({ checkedOutBy, requester, purpose, environment }: { checkedOutBy: string; requester: string; purpose: string; environment: string }) {
  const { t } = useI18n();
  const who = usePersonName(checkedOutBy);
  const requesterName = usePersonName(requester);
  return <Text>{t('dsl.detail.checkout', { who, requester: requesterName, purpose, environment })}</Text>;
}
