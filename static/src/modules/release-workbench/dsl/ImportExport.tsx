import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { DSL_CSV_COLUMNS, DSL_IMPORT_CHUNKS, DSL_IMPORT_LIMITS } from '../../../../../src/contracts/dsl-csv';
import { callResolver, useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { commitImport, exportDsl, importStatus, type DslImportJob, type DslImportReport } from './api';
import { downloadCsv, readCsv, type CsvTable } from './csv';
import { ActionError, DslActionButton, Field, k, useAction, type CanDo } from './parts';
import { planImport, uploadImport, webSha256Hex, type PlannedImport, type Send } from './upload';

type Problem = DslImportReport['problems'][number];

/** In the page (labelled, reachable by the app's button) but not drawn. */
const visuallyHidden = { position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 } as const;

const send: Send = (functionKey, payload) => callResolver(functionKey, payload);

/** A file read, planned (split into chunks) and, once uploaded, known to the server by its import id. */
interface Prepared {
  table: CsvTable;
  plan: PlannedImport;
  bytes: number;
  uploaded: boolean;
}

/**
 * Export the library as CSV; import a CSV: uploaded in parts (each request far below Forge's 500 KB),
 * checked row by row first, written only when every row is good — by the server's queue, whose progress
 * this polls and shows.
 */
export function ImportExport({ projectId, can, onImported }: { projectId: string; can: CanDo; onImported: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const fileInput = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [report, setReport] = useState<DslImportReport | null>(null);
  /** Whether `report` answers a check (dry run) or an import. */
  const [checked, setChecked] = useState(false);
  /** The file the last clean check was of: Import is offered for that file only. */
  const [cleanFor, setCleanFor] = useState<Prepared | null>(null);
  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null);
  /** The import being written (polled until it completes or stops). */
  const [job, setJob] = useState<DslImportJob | null>(null);
  const permission = can('dslRegister');
  const onImportedRef = useRef(onImported);
  onImportedRef.current = onImported;

  async function onFile(file: File | undefined) {
    setReport(null);
    setPrepared(null);
    setCleanFor(null);
    setJob(null);
    setUpload(null);
    if (!file) return;
    await action.run(async () => {
      let table: CsvTable;
      try {
        table = await readCsv(file);
      } catch (err) {
        throw new Error(t('dsl.csv.parseError', { message: err instanceof Error ? err.message : String(err) }));
      }
      // The server's limits, said before anything is sent.
      if (table.rows.length > DSL_IMPORT_LIMITS.rows) throw new Error(t('dsl.csv.tooManyRows', { rows: table.rows.length, max: DSL_IMPORT_LIMITS.rows }));
      const plan = await planImport(projectId, table.header, table.rows, webSha256Hex);
      if (plan.chunks.length > DSL_IMPORT_CHUNKS.maxChunks) throw new Error(t('dsl.csv.tooLarge', { kb: Math.round(file.size / 1024) }));
      setPrepared({ table, plan, bytes: file.size, uploaded: false });
    });
  }

  /** Sends the parts the server does not hold yet (a resumed upload sends only the missing ones). */
  async function ensureUploaded(p: Prepared): Promise<Prepared> {
    if (p.uploaded) return p;
    const opened = await uploadImport({ projectId, header: p.table.header, rows: p.table.rows, plan: p.plan }, send, (sent, total) => setUpload({ sent, total }));
    if (opened.state !== 'UPLOADING') setJob(opened);
    const next = { ...p, uploaded: true };
    setPrepared(next);
    return next;
  }

  async function submit(dryRun: boolean) {
    if (!prepared) return;
    // After an import of this file has ended, checking or importing it again is a new run (the server
    // opens it afresh and skips the rows already written).
    const ended = job?.state === 'COMPLETE' || job?.state === 'FAILED';
    if (ended) {
      setJob(null);
      setReport(null);
    }
    const res = await action.run(async () => {
      const p = await ensureUploaded(ended ? { ...prepared, uploaded: false } : prepared);
      return { p, answer: await commitImport({ projectId, importId: p.plan.importId, ...(dryRun ? { dryRun } : {}) }) };
    });
    if (!res) return;
    const { p, answer } = res;
    setReport(answer.report);
    setChecked(dryRun);
    setCleanFor(dryRun && answer.report.status === 'VALID' ? p : null);
    if (!dryRun && answer.report.status !== 'INVALID') setJob(answer.job);
  }

  // An import already being written in the project (this page opened again, or by another lead): shown too.
  useEffect(() => {
    if (!permission.allowed) return undefined;
    let stopped = false;
    void importStatus({ projectId })
      .then((current) => {
        if (!stopped && current && (current.state === 'QUEUED' || current.state === 'RUNNING')) setJob((mine) => mine ?? current);
      })
      .catch(() => undefined); // nothing to show then; an import started here is followed as usual
    return () => {
      stopped = true;
    };
  }, [projectId, permission.allowed]);

  // Follows the import being written until it has finished.
  const following = job && (job.state === 'QUEUED' || job.state === 'RUNNING') ? job.importId : null;
  useEffect(() => {
    if (!following) return undefined;
    let stopped = false;
    const timer = setInterval(() => {
      void importStatus({ projectId, importId: following })
        .then((next) => {
          if (stopped || !next) return;
          setJob(next);
          if (next.state === 'COMPLETE') onImportedRef.current();
        })
        .catch(() => undefined); // a missed poll is retried by the next one
    }, DSL_IMPORT_CHUNKS.pollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [following, projectId]);

  async function download() {
    const res = await action.run(() => exportDsl({ projectId }));
    if (res) downloadCsv(`dsl-${projectId}.csv`, res.columns, res.rows);
  }

  const columns: Column<Problem>[] = [
    { key: 'row', header: t('dsl.csv.row'), numeric: true, render: (p) => (p.row === 0 ? '—' : String(p.row)) },
    { key: 'column', header: t('dsl.csv.column'), render: (p) => p.column || '—' },
    { key: 'problem', header: t('dsl.csv.problem'), render: (p) => [t(k(`dsl.import.problem.${p.code}`)), p.detail].filter(Boolean).join(' — ') },
  ];
  const problemsTable = (problems: readonly Problem[]) => (
    <DataTable caption={t('dsl.csv.problem')} columns={columns} rows={[...problems]} rowKey={(p) => `${p.row}-${p.column}-${p.code}`} empty="—" testId="rg-dsl-import-problems" />
  );
  const writing = job && job.state !== 'UPLOADING';

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
          {/* The native control's own words ("Choose File", "No file chosen") follow the browser's language, not
              the app's: it stays in the page for its label and the file dialog, and the app's button opens it. */}
          <Inline space="space.100" alignBlock="center">
            <input
              ref={fileInput}
              id="rg-dsl-csv-file"
              type="file"
              accept=".csv,text/csv"
              tabIndex={-1}
              style={visuallyHidden}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                setFileName(file?.name ?? null);
                void onFile(file);
              }}
            />
            <Button onClick={() => fileInput.current?.click()} isDisabled={action.busy} aria-describedby="rg-dsl-csv-file-name" testId="rg-dsl-csv-choose">
              {t('dsl.csv.choose')}
            </Button>
            <Text id="rg-dsl-csv-file-name" color="color.text.subtle" testId="rg-dsl-csv-file-name">
              {fileName ?? t('dsl.csv.noFile')}
            </Text>
          </Inline>
        </Field>
        <DslActionButton permission={permission} disabled={!prepared || action.busy || !!following} onClick={() => void submit(true)} testId="rg-dsl-csv-check">
          {t('dsl.csv.validate')}
        </DslActionButton>
        <DslActionButton appearance="primary" permission={permission} disabled={!prepared || cleanFor?.table !== prepared.table || action.busy || !!writing} onClick={() => void submit(false)} testId="rg-dsl-csv-import">
          {t('dsl.csv.import')}
        </DslActionButton>
      </Inline>
      {prepared ? (
        <Text color="color.text.subtle" testId="rg-dsl-csv-size">
          {t('dsl.csv.size', { rows: prepared.table.rows.length, kb: Math.max(1, Math.round(prepared.bytes / 1024)), chunks: prepared.plan.chunks.length })}
        </Text>
      ) : null}
      {prepared && permission.allowed && cleanFor?.table !== prepared.table && !writing ? <Text color="color.text.subtle">{t('dsl.csv.checkFirst')}</Text> : null}
      {upload && action.busy && !report ? <Progress label={t('dsl.csv.uploading', { sent: upload.sent, chunks: upload.total })} value={upload.sent} max={upload.total} testId="rg-dsl-upload-progress" /> : null}
      <ActionError error={action.error} />
      {writing ? (
        <div role="status" data-testid="rg-dsl-import-report">
          <JobProgress job={job} problems={problemsTable} />
        </div>
      ) : report ? (
        <div role="status" data-testid="rg-dsl-import-report">
          {report.status === 'INVALID' ? (
            <Stack space="space.100">
              <SectionMessage appearance="error">{t(checked ? 'dsl.csv.checkInvalid' : 'dsl.csv.invalid', { count: report.problems.length })}</SectionMessage>
              {problemsTable(report.problems)}
            </Stack>
          ) : report.status === 'VALID' ? (
            <SectionMessage appearance="success">
              {report.alreadyWritten > 0 ? t('dsl.csv.validAlready', { rows: report.rows, already: report.alreadyWritten }) : t('dsl.csv.valid', { rows: report.rows })}
            </SectionMessage>
          ) : (
            <SectionMessage appearance="success">{t('dsl.csv.complete', { written: report.written, already: report.alreadyWritten })}</SectionMessage>
          )}
        </div>
      ) : null}
    </Stack>
  );
}

function JobProgress({ job, problems }: { job: DslImportJob; problems: (p: readonly Problem[]) => ReactNode }) {
  const { t } = useI18n();
  if (job.state === 'COMPLETE') return <SectionMessage appearance="success">{t('dsl.csv.complete', { written: job.written, already: job.alreadyWritten })}</SectionMessage>;
  if (job.state === 'FAILED') {
    return (
      <Stack space="space.100">
        <SectionMessage appearance="error">{t('dsl.csv.failed', { done: job.written + job.alreadyWritten, rows: job.rows, count: job.problems.length })}</SectionMessage>
        {problems(job.problems)}
      </Stack>
    );
  }
  const label = job.state === 'QUEUED' && job.done === 0 ? t('dsl.csv.queued') : t('dsl.csv.writing', { done: job.done, rows: job.rows });
  return <Progress label={label} value={job.done} max={job.rows} testId="rg-dsl-import-progress" />;
}

/** A determinate progress bar (Atlassian's design tokens; the role and values for assistive technology). */
function Progress({ label, value, max, testId }: { label: string; value: number; max: number; testId: string }) {
  const { t } = useI18n();
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <Stack space="space.050" testId={testId}>
      <Text>{label}</Text>
      <div
        role="progressbar"
        aria-label={t('dsl.csv.progressLabel')}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={label}
        style={{ height: '6px', borderRadius: '3px', background: token('color.background.neutral'), overflow: 'hidden', maxWidth: '480px' }}
      >
        <div style={{ width: `${pct}%`, height: '100%', background: token('color.background.brand.bold'), transition: 'width 0.3s ease-out' }} />
      </div>
    </Stack>
  );
}
