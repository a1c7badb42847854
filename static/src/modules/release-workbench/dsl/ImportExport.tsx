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
import { ActionError, Field, k, useAction } from './parts';

type Problem = DslImportReport['problems'][number];

/** Export the library as CSV; import a CSV: checked row by row first, written only when every row is good. */
export function ImportExport({ projectId, onImported }: { projectId: string; onImported: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [table, setTable] = useState<CsvTable | null>(null);
  const [report, setReport] = useState<DslImportReport | null>(null);

  async function onFile(file: File | undefined) {
    setReport(null);
    setTable(null);
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
        <Button isDisabled={!table || action.busy} onClick={() => void send(true)}>
          {t('dsl.csv.validate')}
        </Button>
        <Button appearance="primary" isDisabled={!table || action.busy} onClick={() => void send(false)}>
          {t('dsl.csv.import')}
        </Button>
      </Inline>
      <ActionError error={action.error} />
      {report ? (
        <div role="status" data-testid="rg-dsl-import-report">
          {report.status === 'INVALID' ? (
            <Stack space="space.100">
              <SectionMessage appearance="error">{t('dsl.csv.invalid', { count: report.problems.length })}</SectionMessage>
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
