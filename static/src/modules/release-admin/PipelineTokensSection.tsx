import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState, type FormEvent } from 'react';
import { ErrorState, Loading, notify, ResolverError, useAsync, useI18n } from '../../shared';
import { DataTable, type Column } from '../../shared/ui/DataTable';
import { AlertText } from '../../shared/ui/form';
import { Field } from '../../shared/ui/Field';
import { createPipelineToken, listPipelineTokens, revokePipelineToken, type PipelineTokenView } from './api';

/**
 * Pipeline tokens for the deployment gate: the release manager names one, sees its secret once (only its
 * hash is kept), and revokes it. Each pipeline gets its own token: the audit trail names it.
 */
export function PipelineTokensSection({ headingId, projectId }: { headingId: string; projectId: string }) {
  const { t, format } = useI18n();
  // The server decides who may (the release manager of a set-up project); its refusal is shown as the reason.
  const list = useAsync(() => listPipelineTokens({ projectId }), [projectId]);
  const refusal = list.status === 'error' && list.error instanceof ResolverError && ['NOT_RELEASE_MANAGER', 'NOT_SET_UP', 'CANNOT_BROWSE'].includes(list.error.code) ? list.error.message : null;
  const may = list.status === 'ready';
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy('create');
    setError(null);
    try {
      const created = await createPipelineToken({ projectId, name: name.trim() });
      setSecret({ name: created.token.name, value: created.secret });
      setName('');
      list.reload();
    } catch (err) {
      setError(err instanceof ResolverError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  async function revoke(tok: PipelineTokenView) {
    setBusy(tok.id);
    try {
      await revokePipelineToken({ projectId, tokenId: tok.id, expectedVersion: tok.version });
      notify('success', t('admin.pipeline.revokedFlag', { name: tok.name }));
      list.reload();
    } catch (err) {
      notify('error', t('common.errorTitle'), err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  const columns: Column<PipelineTokenView>[] = [
    { key: 'name', header: t('admin.pipeline.nameCol'), render: (x) => <Text weight="semibold">{x.name}</Text> },
    { key: 'created', header: t('admin.pipeline.createdCol'), render: (x) => format.dateTime(x.createdAt) },
    { key: 'by', header: t('admin.pipeline.byCol'), render: (x) => <span title={x.createdBy}>{x.createdByName ?? t('admin.pipeline.unknownPerson')}</span> },
    { key: 'used', header: t('admin.pipeline.usedCol'), render: (x) => (x.lastUsedAt === null ? t('admin.pipeline.neverUsed') : format.dateTime(x.lastUsedAt)) },
    {
      key: 'state',
      header: t('admin.pipeline.stateCol'),
      render: (x) => (x.revokedAt === null ? <Lozenge appearance="success">{t('admin.pipeline.active')}</Lozenge> : <Lozenge>{t('admin.pipeline.revoked', { when: format.dateTime(x.revokedAt) })}</Lozenge>),
    },
    {
      key: 'actions',
      header: t('admin.pipeline.actionCol'),
      render: (x) =>
        x.revokedAt === null ? (
          <Button spacing="compact" appearance="danger" isLoading={busy === x.id} isDisabled={busy !== null} onClick={() => revoke(x)}>
            {t('admin.pipeline.revoke')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack space="space.200">
      <Heading size="small" as="h2" id={headingId}>
        {t('admin.pipeline.title')}
      </Heading>
      <Text as="p" color="color.text.subtle">
        {t('admin.pipeline.intro')}
      </Text>
      {refusal ? (
        <Text as="p" size="small" color="color.text.subtle" testId="rg-pipeline-reason">
          {refusal}
        </Text>
      ) : null}
      {list.status === 'loading' ? <Loading /> : null}
      {list.status === 'error' && !refusal ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.status === 'ready' ? (
        <DataTable caption={t('admin.pipeline.title')} columns={columns} rows={list.data} rowKey={(x) => x.id} empty={t('admin.pipeline.empty')} testId="rg-pipeline-tokens" />
      ) : null}
      {secret ? (
        <Box testId="rg-pipeline-secret" padding="space.150" backgroundColor="color.background.warning">
          <Stack space="space.075">
            <Text weight="semibold">{t('admin.pipeline.secretHeading', { name: secret.name })}</Text>
            <Text as="p" size="small">
              {t('admin.pipeline.secretOnce')}
            </Text>
            <code style={{ wordBreak: 'break-all', userSelect: 'all' }} data-testid="rg-pipeline-secret-value">
              {secret.value}
            </code>
            <Inline>
              <Button spacing="compact" onClick={() => setSecret(null)}>
                {t('admin.pipeline.secretDone')}
              </Button>
            </Inline>
          </Stack>
        </Box>
      ) : null}
      {may ? (
        <Box as="form" onSubmit={create} testId="rg-pipeline-form">
          <Stack space="space.100">
            <Field id="rg-pipeline-name" label={t('admin.pipeline.nameLabel')} hint={t('admin.pipeline.nameHint')}>
              <Textfield id="rg-pipeline-name" value={name} maxLength={60} onChange={(e) => setName(e.currentTarget.value)} />
            </Field>
            <AlertText>{error}</AlertText>
            <Inline>
              <Button type="submit" appearance="primary" isLoading={busy === 'create'} isDisabled={!name.trim() || busy !== null}>
                {t('admin.pipeline.create')}
              </Button>
            </Inline>
          </Stack>
        </Box>
      ) : null}
    </Stack>
  );
}
