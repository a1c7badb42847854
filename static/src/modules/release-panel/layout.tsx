import Heading from '@atlaskit/heading';
import { Box, Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import type { ReactNode } from 'react';

/** A titled part of a tab (an h2 under the module's h1). */
export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Box as="section" testId={testId}>
      <Stack space="space.100">
        <Heading size="small" as="h2">
          {title}
        </Heading>
        {children}
      </Stack>
    </Box>
  );
}

/** A sub-part inside a section (h3). */
export function SubSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack space="space.075">
      <Heading size="xsmall" as="h3">
        {title}
      </Heading>
      {children}
    </Stack>
  );
}

const dl = { display: 'grid', gridTemplateColumns: 'minmax(8rem, max-content) 1fr', columnGap: token('space.200', '16px'), rowGap: token('space.075', '6px'), margin: 0 } as const;
const dd = { margin: 0, minWidth: 0, overflowWrap: 'anywhere' } as const;

/** Label/value pairs as a description list. */
export function Details({ items, testId }: { items: [label: string, value: ReactNode][]; testId?: string }) {
  return (
    <dl style={dl} data-testid={testId}>
      {items.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt>
            <Text color="color.text.subtle">{label}</Text>
          </dt>
          <dd style={dd}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text as="p" color="color.text.subtlest">
      {children}
    </Text>
  );
}

const table = { borderCollapse: 'collapse', width: '100%' } as const;
const cell = { textAlign: 'start', padding: `${token('space.050', '4px')} ${token('space.100', '8px')}`, borderBottom: `${token('border.width', '1px')} solid ${token('color.border', '#091E4224')}`, verticalAlign: 'top' } as const;

/** A plain, accessible table (header cells scoped to columns). */
export function SimpleTable({ caption, head, rows, testId }: { caption: string; head: string[]; rows: ReactNode[][]; testId?: string }) {
  return (
    // Focusable and named, so a table wider than the panel can be scrolled from the keyboard.
    <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={caption}>
      <table style={table} data-testid={testId}>
        <caption style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' }}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" style={cell}>
                <Text weight="semibold" size="small">
                  {h}
                </Text>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j} style={cell}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Action buttons laid out in a wrapping row. */
export function ActionRow({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexWrap: 'wrap', gap: token('space.150', '12px'), alignItems: 'flex-start' }}>{children}</div>;
}
