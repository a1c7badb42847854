/** CSV import and export through the resolver: validate every row first, write nothing on any bad row, then write in batches, resumably. */
import Papa from 'papaparse';
import { DSL_CSV_COLUMNS, type DslImportReport } from '../../src/contracts';
import type { DslItem } from '../../src/domain/dsl';
import type { DslExport } from '../../src/contracts/views';
import { importIdOf } from '../../src/services/dsl-import';
import { appendDslHistory, claimNameVersion, putDslImport, putDslItem } from '../../src/storage/dsl';
import { ENTITY } from '../../src/storage/entities';
import { Changes } from '../../src/storage/store';
import { startWorld, type World } from '../support/release-world';
import { call, data, failed, itemCount, K, P, register, rowsOf, sha } from './support';

/** A CSV file of `n` items as a spreadsheet would save it. */
function csvOf(n: number, prefix: string, tweak: (row: Record<string, string>, i: number) => void = () => undefined): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const row: Record<string, string> = {
      name: `${prefix}-${String(i + 1).padStart(4, '0')}`,
      version: '1.0.0',
      sha256: sha(`${prefix} ${i}`),
      sizeBytes: String(1000 + i),
      licence: 'MIT',
      vendor: 'Acme, Inc.', // a comma inside a cell: quoted by the CSV writer
      storageUri: `https://dsl.example.com/${prefix}/${i}.zip`,
      mediaType: 'application/zip',
      fixVersionId: '',
      cmdbCiRef: `CI-${prefix}-${i}`,
    };
    tweak(row, i);
    return row;
  });
  return Papa.unparse({ fields: [...DSL_CSV_COLUMNS], data: rows.map((r) => DSL_CSV_COLUMNS.map((c) => r[c] ?? '')) });
}

/** What the browser sends: papaparse's cells, header first. */
function cellsOf(csv: string): { header: string[]; rows: string[][] } {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  return { header: header ?? [], rows };
}

describe('DSL CSV import, through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  const importFile = async (csv: string, extra: Record<string, unknown> = {}) =>
    call<DslImportReport>(w, 'softwareControl', K.dslImport, { projectId: w.project.id, ...cellsOf(csv), ...extra });

  it('a 1,000-row file with one bad row writes nothing and names the row and column', async () => {
    const before = w.snapshot();
    const csv = csvOf(1000, 'bad', (row, i) => {
      if (i === 736) row.sha256 = 'not-a-checksum';
    });
    const report = data(await importFile(csv));
    expect(report.status).toBe('INVALID');
    expect(report.written).toBe(0);
    expect(report.problems).toEqual([{ row: 737, column: 'sha256', code: 'INVALID', detail: expect.stringMatching(/SHA-256/) }]);
    expect(w.snapshot()).toEqual(before);
  });

  it('reports every problem by row and column: blanks, bad numbers, duplicates in the file and in the library, unknown fix versions', async () => {
    await register(w, { name: 'taken', version: '1.0.0' });
    const before = w.snapshot();
    const csv = csvOf(6, 'mixed', (row, i) => {
      if (i === 0) row.name = '';
      if (i === 1) row.sizeBytes = '12kb';
      if (i === 2) row.name = 'mixed-0004'; // the same as the next row
      if (i === 4) row.name = 'Taken';
      if (i === 5) row.fixVersionId = '99999';
    });
    const report = data(await importFile(csv));
    expect(report.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [1, 'name', 'REQUIRED'],
      [2, 'sizeBytes', 'INVALID'],
      [4, 'version', 'DUPLICATE_IN_FILE'],
      [5, 'version', 'DUPLICATE_IN_LIBRARY'],
      [6, 'fixVersionId', 'FIX_VERSION_NOT_FOUND'],
    ]);
    expect(w.snapshot()).toEqual(before);
  });

  it('a header it does not know, or without a required column, is refused before any row', async () => {
    const { header, rows } = cellsOf(csvOf(2, 'hdr'));
    const renamed = header.map((h) => (h === 'sha256' ? 'checksum' : h));
    const res = data(await call<DslImportReport>(w, 'softwareControl', K.dslImport, { projectId: w.project.id, header: renamed, rows }));
    expect(res.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [0, 'checksum', 'UNKNOWN_COLUMN'],
      [0, 'sha256', 'MISSING_COLUMN'],
    ]);
  });

  it('without the bad row all 1,000 land, in transactions of at most 25 operations; running it again writes nothing twice', async () => {
    const csv = csvOf(1000, 'good');
    const before = itemCount(w);
    const dry = data(await importFile(csv, { dryRun: true }));
    expect(dry).toMatchObject({ status: 'VALID', written: 0, problems: [] });
    expect(itemCount(w)).toBe(before);

    const res = await w.onProject<DslImportReport>('softwareControl', K.dslImport, { projectId: w.project.id, ...cellsOf(csv) });
    const report = data(res.value);
    expect(report).toMatchObject({ status: 'COMPLETE', rows: 1000, written: 1000, alreadyWritten: 0, problems: [] });
    expect(itemCount(w)).toBe(before + 1000);
    const imported = rowsOf<DslItem>(w, ENTITY.dslItem).filter((i) => i.importId === report.importId);
    expect(imported).toHaveLength(1000);
    expect(imported.every((i) => i.status === 'REGISTERED' && i.vendor === 'Acme, Inc.' && i.registeredBy === P.softwareControl)).toBe(true);
    expect(rowsOf<{ status: string; written: number }>(w, ENTITY.dslImport).find((r) => r.written === 1000)?.status).toBe('COMPLETE');
    // 143 batches of at most 7 rows: Forge's 25-operation limit was enforced by the local KVS on every one.
    expect(res.durationMs).toBeLessThan(20_000);

    const again = data(await importFile(csv));
    expect(again).toMatchObject({ status: 'COMPLETE', written: 0, alreadyWritten: 1000 });
    expect(itemCount(w)).toBe(before + 1000);
  });

  it('an import interrupted half-way is finished by sending the same file again', async () => {
    const csv = csvOf(30, 'resume');
    const { header, rows } = cellsOf(csv);
    const importId = importIdOf(w.project.id, header, rows);
    // What an interrupted run leaves: its first two batches (14 rows) and a RUNNING import record.
    await w.platform.run(async () => {
      for (let b = 0; b < 2; b++) {
        const changes = new Changes();
        for (let r = b * 7 + 1; r <= b * 7 + 7; r++) {
          const cells = rows[r - 1] as string[];
          const item: DslItem = {
            id: `${importId}-r${r}`,
            projectId: w.project.id,
            name: cells[0] as string,
            version: cells[1] as string,
            sha256: cells[2] as string,
            sizeBytes: Number(cells[3]),
            licence: 'MIT',
            vendor: 'Acme, Inc.',
            storageUri: cells[6] as string,
            mediaType: 'application/zip',
            status: 'REGISTERED',
            releaseIds: [],
            fixVersionId: null,
            cmdbCiRef: null,
            supersedesItemId: null,
            supersededByItemId: null,
            registeredAt: 1,
            registeredBy: P.softwareControl,
            approvedAt: null,
            approvedBy: null,
            checkedInAt: null,
            checkout: null,
            lastAudit: null,
            retiredAt: null,
            retireReason: null,
            importId,
          };
          putDslItem(changes, item, null, 1);
          claimNameVersion(changes, item);
          appendDslHistory(changes, { id: `${item.id}:h`, itemId: item.id, projectId: w.project.id, type: 'REGISTERED', at: 1, actorAccountId: P.softwareControl });
        }
        putDslImport(changes, { id: importId, projectId: w.project.id, rows: 30, written: (b + 1) * 7, status: 'RUNNING', startedAt: 1, startedBy: P.softwareControl, finishedAt: null }, b === 0 ? null : 1);
        await changes.commit();
      }
    });
    const report = data(await importFile(csv));
    expect(report).toMatchObject({ importId, status: 'COMPLETE', written: 16, alreadyWritten: 14 });
    const mine = rowsOf<DslItem>(w, ENTITY.dslItem).filter((i) => i.importId === importId);
    expect(mine).toHaveLength(30);
    expect(rowsOf<{ id: string; status: string; written: number }>(w, ENTITY.dslImport).find((r) => r.id === importId)).toMatchObject({ status: 'COMPLETE', written: 30 });
  });

  it('only a software control lead imports', async () => {
    expect(failed(await call(w, 'implementer', K.dslImport, { projectId: w.project.id, ...cellsOf(csvOf(1, 'nope')) })).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
  });

  it('exports the library as the same columns, which import back as duplicates only', async () => {
    const exported = data(await call<DslExport>(w, 'business', K.exportDsl, { projectId: w.project.id }));
    expect(exported.columns.slice(0, DSL_CSV_COLUMNS.length)).toEqual([...DSL_CSV_COLUMNS]);
    const csv = Papa.unparse({ fields: exported.columns, data: exported.rows.filter((r) => r[0]?.startsWith('resume-')) });
    const report = data(await importFile(csv));
    // Its own rows are recognised as the library's: every one is a duplicate, none is invalid otherwise.
    expect(report.problems).toHaveLength(30);
    expect(new Set(report.problems.map((p) => p.code))).toEqual(new Set(['DUPLICATE_IN_LIBRARY']));
  });
});
