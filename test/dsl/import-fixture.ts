/**
 * A full-size DSL CSV file as a keeper's spreadsheet saves it: 2,000 rows of ~360 bytes (~720 KB), with
 * Chinese vendor names (three bytes a character in UTF-8) and commas inside quoted cells. Shared by the
 * service tests, the browser test and the bench.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { DSL_CSV_COLUMNS } from '../../src/contracts';

const VENDORS = ['上海软件技术有限公司', 'Acme, Inc.', '北京数据系统股份有限公司', 'Initech GmbH'];

export function dslCsv(n: number, prefix: string, tweak: (row: Record<string, string>, i: number) => void = () => undefined): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const row: Record<string, string> = {
      name: `${prefix}-component-${String(i + 1).padStart(4, '0')}`,
      version: `${1 + (i % 3)}.${i % 10}.${i % 7}`,
      sha256: createHash('sha256').update(`${prefix} ${i}`).digest('hex'),
      sizeBytes: String(1_048_576 + i * 17),
      licence: i % 2 === 0 ? 'Apache-2.0 WITH LLVM-exception' : 'Proprietary (in-house, see contract 2026-114)',
      vendor: VENDORS[i % VENDORS.length] as string,
      storageUri: `https://artifacts.example.com/definitive-software-library/${prefix}/releases/2026/q4/linux-x86_64/${String(i + 1).padStart(4, '0')}/${prefix}-component-${i + 1}-bundle-signed-reproducible.tar.gz`,
      mediaType: 'application/gzip',
      fixVersionId: '',
      cmdbCiRef: `CI-${prefix.toUpperCase()}-${String(i + 1).padStart(5, '0')}-APPLICATION-SERVER`,
    };
    tweak(row, i);
    return row;
  });
  return Papa.unparse({ fields: [...DSL_CSV_COLUMNS], data: rows.map((r) => DSL_CSV_COLUMNS.map((c) => r[c] ?? '')) });
}

/** What the browser's reader (static/…/dsl/csv.ts) makes of the file: header (trimmed) and cells. */
export function cellsOf(csv: string): { header: string[]; rows: string[][] } {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  return { header: (header ?? []).map((h) => h.trim()), rows };
}

export const nodeSha256Hex = async (text: string): Promise<string> => createHash('sha256').update(text).digest('hex');
