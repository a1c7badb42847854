import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState, type FormEvent } from 'react';
import { notify, useAsync, useI18n } from '../../../shared';
import { listFixVersions, registerItem, type DslItemRow } from './api';
import { sha256OfFile } from './hash';
import { ActionError, DslActionButton, Field, grid, Select, TextInput, useAction, type CanDo } from './parts';

const SHA = /^[a-fA-F0-9]{64}$/;
/** An issue key as Jira writes it (the server resolves it and refuses one that is not a release of the project). */
const ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,49}-\d{1,12}$/;

export const releaseKeysOf = (text: string): string[] => text.split(/[\s,;]+/).map((k) => k.trim().toUpperCase()).filter(Boolean);

/** Registers an item; choosing the file fills in checksum, size and media type, computed here and never uploaded. */
export function RegisterForm({ projectId, releaseKey, items, can, onDone, onCancel }: { projectId: string; releaseKey?: string; items: DslItemRow[]; can: CanDo; onDone: (itemId: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const versions = useAsync(() => listFixVersions({ projectId }), [projectId]);
  const action = useAction();
  const [f, setF] = useState({ name: '', version: '', sha256: '', sizeBytes: '', licence: '', vendor: '', storageUri: '', mediaType: '', fixVersionId: '', cmdbCiRef: '', releaseKeys: releaseKey ?? '', supersedesItemId: '' });
  const [hashNote, setHashNote] = useState<string | null>(null);
  const set = (key: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [key]: v }));

  async function onFile(file: File | undefined) {
    if (!file) return;
    setHashNote(t('dsl.register.hashing'));
    const d = await sha256OfFile(file);
    setF((x) => ({ ...x, sha256: d.sha256, sizeBytes: String(d.sizeBytes), mediaType: x.mediaType || file.type, name: x.name || file.name.replace(/\.[^.]+$/, '') }));
    setHashNote(t('dsl.register.hashed', { file: d.name, size: d.sizeBytes }));
  }

  const keys = releaseKeysOf(f.releaseKeys);
  const badKey = keys.find((k) => !ISSUE_KEY.test(k));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (badKey) return;
    const res = await action.run(() =>
      registerItem({
        projectId,
        name: f.name,
        version: f.version,
        sha256: f.sha256.trim(),
        sizeBytes: Number(f.sizeBytes),
        licence: f.licence,
        vendor: f.vendor,
        storageUri: f.storageUri,
        mediaType: f.mediaType,
        ...(f.fixVersionId ? { fixVersionId: f.fixVersionId } : {}),
        ...(f.cmdbCiRef.trim() ? { cmdbCiRef: f.cmdbCiRef.trim() } : {}),
        ...(keys.length > 0 ? { releaseKeys: keys } : {}),
        ...(f.supersedesItemId ? { supersedesItemId: f.supersedesItemId } : {}),
      }),
    );
    if (res) {
      notify('success', t('dsl.register.done', { name: res.item.name, version: res.item.version }));
      onDone(res.item.id);
    }
  }

  const shaInvalid = f.sha256.trim() !== '' && !SHA.test(f.sha256.trim());
  const fixOptions = [{ value: '', label: t('dsl.register.none') }, ...(versions.status === 'ready' ? versions.data.map((v) => ({ value: v.id, label: v.name })) : [])];
  // What "supersedes" may name: the same software, in the library or checked out (the server checks the version is older).
  const typed = f.name.trim().toLowerCase();
  const supersedable = items.filter((i) => (i.status === 'IN_LIBRARY' || i.status === 'CHECKED_OUT') && (!typed || i.name.trim().toLowerCase() === typed));
  const permission = can('dslRegister');

  return (
    <form onSubmit={submit} aria-labelledby="rg-dsl-register-title" data-testid="rg-dsl-register">
      <Stack space="space.150">
        <Heading size="xsmall" as="h3" id="rg-dsl-register-title">
          {t('dsl.register.title')}
        </Heading>
        <Field id="rg-dsl-file" label={t('dsl.register.file')}>
          <input id="rg-dsl-file" type="file" onChange={(e) => void onFile(e.currentTarget.files?.[0])} />
        </Field>
        {hashNote ? <Text color="color.text.subtle">{hashNote}</Text> : null}
        <div style={grid}>
          <Field id="rg-dsl-name" label={t('dsl.col.name')}>
            <TextInput id="rg-dsl-name" value={f.name} onChange={set('name')} required />
          </Field>
          <Field id="rg-dsl-version" label={t('dsl.col.version')}>
            <TextInput id="rg-dsl-version" value={f.version} onChange={set('version')} required />
          </Field>
          <Field id="rg-dsl-sha" label={t('dsl.col.sha256')}>
            <TextInput id="rg-dsl-sha" value={f.sha256} onChange={set('sha256')} required />
          </Field>
          <Field id="rg-dsl-size" label={t('dsl.col.size')}>
            <TextInput id="rg-dsl-size" type="number" value={f.sizeBytes} onChange={set('sizeBytes')} required />
          </Field>
          <Field id="rg-dsl-licence" label={t('dsl.col.licence')}>
            <TextInput id="rg-dsl-licence" value={f.licence} onChange={set('licence')} />
          </Field>
          <Field id="rg-dsl-vendor" label={t('dsl.col.vendor')}>
            <TextInput id="rg-dsl-vendor" value={f.vendor} onChange={set('vendor')} />
          </Field>
          <Field id="rg-dsl-uri" label={t('dsl.col.storage')}>
            <TextInput id="rg-dsl-uri" value={f.storageUri} onChange={set('storageUri')} required />
          </Field>
          <Field id="rg-dsl-media" label={t('dsl.col.mediaType')}>
            <TextInput id="rg-dsl-media" value={f.mediaType} onChange={set('mediaType')} />
          </Field>
          <Field id="rg-dsl-fix" label={t('dsl.col.fixVersion')}>
            <Select id="rg-dsl-fix" value={f.fixVersionId} onChange={set('fixVersionId')} options={fixOptions} />
          </Field>
          <Field id="rg-dsl-cmdb" label={t('dsl.col.cmdb')}>
            <TextInput id="rg-dsl-cmdb" value={f.cmdbCiRef} onChange={set('cmdbCiRef')} />
          </Field>
          <Field id="rg-dsl-releases" label={t('dsl.register.releases')}>
            <TextInput id="rg-dsl-releases" value={f.releaseKeys} onChange={set('releaseKeys')} placeholder="PAY-196" />
          </Field>
          <Field id="rg-dsl-supersedes" label={t('dsl.register.supersedes')}>
            <Select
              id="rg-dsl-supersedes"
              value={f.supersedesItemId}
              onChange={set('supersedesItemId')}
              options={[{ value: '', label: t('dsl.register.none') }, ...supersedable.map((i) => ({ value: i.id, label: `${i.name} ${i.version}` }))]}
            />
          </Field>
        </div>
        <Text color="color.text.subtle">{t('dsl.register.supersedesHint')}</Text>
        {shaInvalid ? <Text color="color.text.danger">{t('dsl.register.shaFormat')}</Text> : null}
        {badKey ? (
          <Text color="color.text.danger" testId="rg-dsl-key-format">
            {t('dsl.register.keyFormat', { key: badKey })}
          </Text>
        ) : null}
        <ActionError error={action.error} />
        <Inline space="space.100" alignBlock="start">
          <DslActionButton appearance="primary" permission={permission} type="submit" disabled={action.busy || !!badKey} testId="rg-dsl-register-submit">
            {t('dsl.action.register')}
          </DslActionButton>
          <Button appearance="subtle" onClick={onCancel}>
            {t('dsl.action.cancel')}
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}
