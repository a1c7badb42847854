import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../shared';
import { auditItem, type DslItemRow } from './api';
import { sha256OfFile, type FileDigest } from './hash';
import { ActionError, Field, grid, TextInput, useAction } from './parts';

interface Outcome {
  matched: boolean;
  differences: { field: string; expected: string; actual: string }[];
}

/** Verifies an item against a file hashed in the browser (match or mismatch, with what differed), plus any finding by hand. */
export function AuditForm({ item, onDone }: { item: DslItemRow; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [file, setFile] = useState<FileDigest | null>(null);
  const [finding, setFinding] = useState({ field: '', expected: '', actual: '' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const differences = finding.field.trim() ? [{ field: finding.field.trim(), expected: finding.expected, actual: finding.actual }] : [];
    if (!file && differences.length === 0) {
      action.clear();
      setOutcome(null);
      return;
    }
    const res = await action.run(() =>
      auditItem({ itemId: item.id, expectedVersion: item.rowVersion, ...(file ? { observedSha256: file.sha256, observedSizeBytes: file.sizeBytes } : {}), differences }),
    );
    if (res) {
      setOutcome({ matched: res.matched, differences: res.differences });
      onDone();
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="rg-dsl-audit-title" data-testid="rg-dsl-audit">
      <Stack space="space.100">
        <Heading size="xxsmall" as="h4" id="rg-dsl-audit-title">
          {t('dsl.audit.title')}
        </Heading>
        <Field id="rg-dsl-audit-file" label={t('dsl.audit.file')}>
          <input id="rg-dsl-audit-file" type="file" onChange={(e) => void (async (f) => setFile(f ? await sha256OfFile(f) : null))(e.currentTarget.files?.[0])} />
        </Field>
        {file ? <Text color="color.text.subtle">{t('dsl.register.hashed', { file: file.name, size: file.sizeBytes })}</Text> : null}
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
        {!file && !finding.field.trim() ? <Text color="color.text.subtle">{t('dsl.audit.noFile')}</Text> : null}
        <ActionError error={action.error} />
        {outcome ? (
          <div role="status" data-testid="rg-dsl-audit-outcome">
            <SectionMessage appearance={outcome.matched ? 'success' : 'warning'} title={outcome.matched ? t('dsl.audit.matched') : t('dsl.audit.mismatched')}>
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {outcome.differences.map((d) => (
                  <li key={d.field}>
                    <Text>{t('dsl.audit.difference', d)}</Text>
                  </li>
                ))}
              </ul>
            </SectionMessage>
          </div>
        ) : null}
        <Inline space="space.100">
          <Button type="submit" appearance="primary" isDisabled={action.busy || (!file && !finding.field.trim())}>
            {t('dsl.action.audit')}
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}
