import { Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { FieldLabel } from './Field';

/**
 * The project a global module (admin page, dashboard gadget) works on, by its Jira id: those modules get no
 * project from Jira's context. Valid ids only leave the field.
 */
export function ProjectIdField({
  id,
  label,
  hint,
  invalidText,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  invalidText: string;
  value: string;
  onChange: (projectId: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  const valid = /^\d{1,18}$/.test(draft.trim());
  return (
    <Stack space="space.050">
      <FieldLabel id={id} label={label} />
      <Textfield
        id={id}
        value={draft}
        inputMode="numeric"
        maxLength={18}
        isInvalid={draft !== '' && !valid}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setDraft(next);
          if (/^\d{1,18}$/.test(next.trim())) onChange(next.trim());
        }}
      />
      <Text id={`${id}-hint`} size="small" color={draft !== '' && !valid ? 'color.text.danger' : 'color.text.subtle'}>
        {draft !== '' && !valid ? invalidText : hint}
      </Text>
    </Stack>
  );
}
