import { Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import type { ReactNode } from 'react';

/** A native <select> styled like Atlaskit's inputs, with design tokens (light and dark). */
export const selectStyle = {
  font: 'inherit',
  minHeight: '2.25rem',
  padding: `0 ${token('space.100', '8px')}`,
  borderRadius: token('radius.small', '3px'),
  border: `${token('border.width', '1px')} solid ${token('color.border.input', '#8590A2')}`,
  background: token('color.background.input', '#FFFFFF'),
  color: token('color.text', '#172B4D'),
  width: '100%',
} as const;

/**
 * An error line announced to assistive tech (Atlaskit's Text does not carry a role); nothing when there is
 * no message.
 */
export function AlertText({ children, size }: { children: ReactNode; size?: 'small' | 'medium' }): JSX.Element | null {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <div role="alert">
      <Text as="p" color="color.text.danger" {...(size ? { size } : {})}>
        {children}
      </Text>
    </div>
  );
}
