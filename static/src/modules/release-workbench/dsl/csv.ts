import Papa from 'papaparse';

/** The CSV side of import and export: papaparse reads and writes the file; the server sees only cells. */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

export async function readCsv(file: File): Promise<CsvTable> {
  const text = await file.text();
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal) throw new Error(`${fatal.message}${fatal.row !== undefined ? ` (row ${fatal.row})` : ''}`);
  const [header, ...rows] = parsed.data;
  return { header: (header ?? []).map((h) => h.trim()), rows };
}

export function downloadCsv(fileName: string, columns: string[], rows: string[][]): void {
  const csv = Papa.unparse({ fields: columns, data: rows });
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}
