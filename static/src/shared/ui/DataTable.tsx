import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

const table: CSSProperties = { width: '100%', borderCollapse: 'collapse', font: token('font.body') };
const th: CSSProperties = {
  textAlign: 'start',
  padding: `${token('space.075')} ${token('space.100')}`,
  borderBlockEnd: `2px solid ${token('color.border')}`,
  color: token('color.text.subtle'),
  font: token('font.body.small'),
  fontWeight: token('font.weight.semibold'),
};
const td: CSSProperties = {
  padding: `${token('space.075')} ${token('space.100')}`,
  borderBlockEnd: `1px solid ${token('color.border')}`,
  color: token('color.text'),
  verticalAlign: 'middle',
};

/**
 * A plain, accessible table (caption for assistive tech, header cells with scope) in design tokens, for the
 * short lists of the project modules: much lighter than a full dynamic table.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
  testId,
}: {
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty: string;
  testId?: string;
}) {
  if (rows.length === 0) {
    return (
      <p style={{ color: token('color.text.subtle'), margin: 0 }} data-testid={testId ? `${testId}-empty` : undefined}>
        {empty}
      </p>
    );
  }
  return (
    <table style={table} data-testid={testId}>
      <caption style={visuallyHidden}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} scope="col" style={c.numeric ? { ...th, textAlign: 'end' } : th}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((c) => (
              <td key={c.key} style={c.numeric ? { ...td, textAlign: 'end' } : td}>
                {c.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export { visuallyHidden };
