import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { DSL_CSV_COLUMNS } from '../../../../../src/contracts/dsl-csv';
import { useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { exportDsl, importDsl, type DslImportReport } from './api';
import { downloadCsv, readCsv, type CsvTable } from './csv';
import { ActionError, DslActionButton, Field, k, useAction, type CanDo } from './parts';

type Problem = DslImportReport['problems'][number];

/** Export the library as CSV; import a CSV: checked row by row first, written only when every row is good. */
export function ImportExport({ projectId, can, onImported }: { projectId: string; can: CanDo; onImported: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [table, setTable] = useState<CsvTable | null>(null);
  const [report, setReport] = useState<DslImportReport | null>(null);
  /** Whether `report` answers a check (dry run) or an import. */
  const [checked, setChecked] = useState(false);
  /** The file the last clean check was of: Import is offered for that file only. */
  const [cleanFor, setCleanFor] = useState<CsvTable | null>(null);
  const permission = can('dslRegister');

  async function onFile(file: File | undefined) {
    setReport(null);
    setTable(null);
    setCleanFor(null);
    if (!file) return;
    await action.run(async () => {
      try {
        setTable(await readCsv(file));
      } catch (err) {
        throw new Error(t('dsl.csv.parseError', { message: err instanceof Error ? err.message : String(err) }));
      }
    });
  }

  async function send(dryRun: boolean) {
    if (!table) return;
    const res = await action.run(() => importDsl({ projectId, header: table.header, rows: table.rows, ...(dryRun ? { dryRun } : {}) }));
    if (res) {
      setReport(res);
      setChecked(dryRun);
      setCleanFor(dryRun && res.status === 'VALID' ? table : null);
      if (res.status === 'COMPLETE') onImported();
    }
  }

  async function download() {
    const res = await action.run(() => exportDsl({ projectId }));
    if (res) downloadCsv(`dsl-${projectId}.csv`, res.columns, res.rows);
  }

  const columns: Column<Problem>[] = [
    { key: 'row', header: t('dsl.csv.row'), numeric: true, render: (p) => (p.row === 0 ? '—' : String(p.row)) },
    { key: 'column', header: t('dsl.csv.column'), render: (p) => p.column || '—' },
    { key: 'problem', header: t('dsl.csv.problem'), render: (p) => [t(k(`dsl.import.problem.${p.code}`)), p.detail].filter(Boolean).join(' — ') },
  ];

  return (
    <Stack space="space.150" testId="rg-dsl-csv">
      <Heading size="xsmall" as="h3">
        {t('dsl.csv.title')}
      </Heading>
      <Text as="p" color="color.text.subtle">
        {t('dsl.csv.intro', { columns: DSL_CSV_COLUMNS.join(', ') })}
      </Text>
      <Inline space="space.100" alignBlock="end" shouldWrap>
        <Button onClick={() => void download()} isDisabled={action.busy}>
          {t('dsl.csv.export')}
        </Button>
        <Field id="rg-dsl-csv-file" label={t('dsl.csv.file')}>
          <input id="rg-dsl-csv-file" type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e.currentTarget.files?.[0])} />
        </Field>
        <DslActionButton permission={permission} disabled={!table || action.busy} onClick={() => void send(true)} testId="rg-dsl-csv-check">
          {t('dsl.csv.validate')}
        </DslActionButton>
        <DslActionButton appearance="primary" permission={permission} disabled={!table || cleanFor !== table || action.busy} onClick={() => void send(false)} testId="rg-dsl-csv-import">
          {t('dsl.csv.import')}
        </DslActionButton>
      </Inline>
      {table && permission.allowed && cleanFor !== table ? <Text color="color.text.subtle">{t('dsl.csv.checkFirst')}</Text> : null}
      <ActionError error={action.error} />
      {report ? (
        <div role="status" data-testid="rg-dsl-import-report">
          {report.status === 'INVALID' ? (
            <Stack space="space.100">
              <SectionMessage appearance="error">{t(checked ? 'dsl.csv.checkInvalid' : 'dsl.csv.invalid', { count: report.problems.length })}</SectionMessage>
              <DataTable caption={t('dsl.csv.problem')} columns={columns} rows={report.problems} rowKey={(p) => `${p.row}-${p.column}-${p.code}`} empty="—" testId="rg-dsl-import-problems" />
            </Stack>
          ) : report.status === 'VALID' ? (
            <SectionMessage appearance="success">{t('dsl.csv.valid', { rows: report.rows })}</SectionMessage>
          ) : (
            <SectionMessage appearance="success">{t('dsl.csv.complete', { written: report.written, already: report.alreadyWritten })}</SectionMessage>
          )}
        </div>
      ) : null}
    </Stack>
  );
}
