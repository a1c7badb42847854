import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState, type FormEvent } from 'react';
import { DSL_AUDIT_FIELDS, dslAuditChecks, type DslAuditCheck, type DslAuditField, type DslAuditObservation } from '../../../../../src/domain/dsl';
import { useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { auditItem, type DslItemRow } from './api';
import { sha256OfFile, type FileDigest } from './hash';
import { ActionError, DslActionButton, Field, grid, k, TextInput, useAction, type DslPermission } from './parts';

interface Outcome {
  matched: boolean;
  checks: DslAuditCheck[];
  differences: { field: string; expected: string; actual: string }[];
}

type Found = Record<DslAuditField, string>;
const EMPTY: Found = { sha256: '', sizeBytes: '', storageUri: '', version: '', licence: '' };

/**
 * An audit: what the auditor found of each field (checksum and size from the file, hashed in the browser;
 * location, version and licence as checked), compared by the server with the record; the answer lists each
 * field with its recorded and found value. A finding by hand (another field) may be added.
 */
export function AuditForm({ item, permission, onDone }: { item: DslItemRow; permission: DslPermission; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [file, setFile] = useState<FileDigest | null>(null);
  const [found, setFound] = useState<Found>(EMPTY);
  const [finding, setFinding] = useState({ field: '', expected: '', actual: '' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const label = (f: DslAuditField) => t(k(`dsl.auditField.${f}`));
  const recorded = (f: DslAuditField) => String(item[f]);

  const observation = (): DslAuditObservation => ({
    ...(found.sha256.trim() ? { sha256: found.sha256.trim() } : {}),
    ...(/^\d+$/.test(found.sizeBytes.trim()) ? { sizeBytes: Number(found.sizeBytes.trim()) } : {}),
    ...(found.storageUri.trim() ? { storageUri: found.storageUri.trim() } : {}),
    ...(found.version.trim() ? { version: found.version.trim() } : {}),
    ...(found.licence.trim() ? { licence: found.licence.trim() } : {}),
  });
  const observed = observation();
  const nothing = Object.keys(observed).length === 0 && !finding.field.trim();

  async function onFile(f: File | undefined) {
    const d = f ? await sha256OfFile(f) : null;
    setFile(d);
    if (d) setFound((x) => ({ ...x, sha256: d.sha256, sizeBytes: String(d.sizeBytes) }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (nothing) return;
    const differences = finding.field.trim() ? [{ field: finding.field.trim(), expected: finding.expected, actual: finding.actual }] : [];
    const o = observed;
    const res = await action.run(() =>
      auditItem({
        itemId: item.id,
        expectedVersion: item.rowVersion,
        ...(o.sha256 !== undefined ? { observedSha256: o.sha256 } : {}),
        ...(o.sizeBytes !== undefined ? { observedSizeBytes: o.sizeBytes } : {}),
        ...(o.storageUri !== undefined ? { observedStorageUri: o.storageUri } : {}),
        ...(o.version !== undefined ? { observedVersion: o.version } : {}),
        ...(o.licence !== undefined ? { observedLicence: o.licence } : {}),
        differences,
      }),
    );
    if (res) {
      // The server compared; the same pure comparison lays the fields out (recorded against found) for the answer.
      setOutcome({ matched: res.matched, checks: dslAuditChecks(item, o), differences: res.differences });
      onDone();
    }
  }

  const columns: Column<DslAuditCheck>[] = [
    { key: 'field', header: t('dsl.audit.colField'), render: (c) => label(c.field) },
    { key: 'recorded', header: t('dsl.audit.colRecorded'), render: (c) => <code style={{ wordBreak: 'break-all' }}>{c.recorded}</code> },
    { key: 'found', header: t('dsl.audit.colFound'), render: (c) => <code style={{ wordBreak: 'break-all' }}>{c.found}</code> },
    { key: 'result', header: t('dsl.audit.colResult'), render: (c) => (c.matched ? t('dsl.audit.same') : t('dsl.audit.differs')) },
  ];
  const extra = outcome ? outcome.differences.filter((d) => !(DSL_AUDIT_FIELDS as readonly string[]).includes(d.field)) : [];

  return (
    <form onSubmit={submit} aria-labelledby="rg-dsl-audit-title" data-testid="rg-dsl-audit">
      <Stack space="space.100">
        <Heading size="xxsmall" as="h4" id="rg-dsl-audit-title">
          {t('dsl.audit.title')}
        </Heading>
        <Field id="rg-dsl-audit-file" label={t('dsl.audit.file')}>
          <input id="rg-dsl-audit-file" type="file" onChange={(e) => void onFile(e.currentTarget.files?.[0])} />
        </Field>
        {file ? <Text color="color.text.subtle">{t('dsl.register.hashed', { file: file.name, size: file.sizeBytes })}</Text> : null}
        <Text>{t('dsl.audit.fieldsIntro')}</Text>
        <div style={grid}>
          {DSL_AUDIT_FIELDS.map((f) => (
            <Field key={f} id={`rg-dsl-audit-${f}`} label={label(f)}>
              <TextInput id={`rg-dsl-audit-${f}`} value={found[f]} onChange={(v) => setFound((x) => ({ ...x, [f]: v }))} placeholder={t('dsl.audit.recorded', { value: recorded(f).length > 24 ? `${recorded(f).slice(0, 23)}…` : recorded(f) })} />
            </Field>
          ))}
        </div>
        <Text>{t('dsl.audit.finding')}</Text>
        <div style={grid}>
          <Field id="rg-dsl-audit-field" label={t('dsl.audit.findingField')}>
            <TextInput id="rg-dsl-audit-field" value={finding.field} onChange={(v) => setFinding((x) => ({ ...x, field: v }))} />
          </Field>
          <Field id="rg-dsl-audit-expected" label={t('dsl.audit.findingExpected')}>
            <TextInput id="rg-dsl-audit-expected" value={finding.expected} onChange={(v) => setFinding((x) => ({ ...x, expected: v }))} />
          </Field>
          <Field id="rg-dsl-audit-actual" label={t('dsl.audit.findingActual')}>
            <TextInput id="rg-dsl-audit-actual" value={finding.actual} onChange={(v) => setFinding((x) => ({ ...x, actual: v }))} />
          </Field>
        </div>
        {nothing ? <Text color="color.text.subtle">{t('dsl.audit.noFile')}</Text> : null}
        <ActionError error={action.error} />
        {outcome ? (
          <div role="status" data-testid="rg-dsl-audit-outcome">
            <SectionMessage appearance={outcome.matched ? 'success' : 'warning'}>
              <Stack space="space.100">
                {/* Not the message's title: Atlaskit renders that as an h2, below this form's h4. */}
                <Text weight="bold">{outcome.matched ? t('dsl.audit.matched') : t('dsl.audit.mismatched')}</Text>
                {outcome.checks.length > 0 ? <DataTable caption={t('dsl.audit.title')} columns={columns} rows={outcome.checks} rowKey={(c) => c.field} empty="—" testId="rg-dsl-audit-checks" /> : null}
                {extra.map((d) => (
                  <Text key={d.field}>{t('dsl.audit.difference', d)}</Text>
                ))}
              </Stack>
            </SectionMessage>
          </div>
        ) : null}
        <Inline space="space.100">
          <DslActionButton type="submit" appearance="primary" permission={permission} disabled={action.busy || nothing} testId="rg-dsl-audit-submit">
            {t('dsl.action.audit')}
          </DslActionButton>
        </Inline>
      </Stack>
    </form>
  );
}
