import { Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';

/** A native control (select) drawn like an Atlaskit field. */
export const nativeControl: CSSProperties = {
  font: token('font.body'),
  color: token('color.text'),
  background: token('color.background.input'),
  border: `${token('border.width')} solid ${token('color.border.input')}`,
  borderRadius: token('radius.small'),
  padding: `${token('space.050')} ${token('space.075')}`,
  minWidth: '12rem',
};

/** A field's label, for the control of that id. */
export function FieldLabel({ id, label }: { id: string; label: string }) {
  return (
    <label htmlFor={id}>
      <Text size="small" weight="semibold">
        {label}
      </Text>
    </label>
  );
}

/** A labelled field with its server message (the resolver's `field` names it) under it. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <Stack space="space.050">
      <FieldLabel id={id} label={label} />
      {children}
      {error ? (
        <Text id={`${id}-error`} size="small" color="color.text.danger" testId="rg-field-error">
          {error}
        </Text>
      ) : hint ? (
        <Text id={`${id}-hint`} size="small" color="color.text.subtle">
          {hint}
        </Text>
      ) : null}
    </Stack>
  );
}

export function Check({ id, label, checked, disabled, onChange }: { id: string; label: string; checked: boolean; disabled?: boolean; onChange: (v: boolean) => void }) {
  return (
    <div style={{ display: 'flex', gap: token('space.100'), alignItems: 'center' }}>
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label htmlFor={id}>
        <Text>{label}</Text>
      </label>
    </div>
  );
}
