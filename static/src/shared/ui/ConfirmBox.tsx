import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { useEffect, useId, useRef } from 'react';

/**
 * "Are you sure?" for an action that cannot be undone, right under the control that asked (inside the app's
 * frame, so nothing of Jira's chrome covers it). Focus moves to it; Escape or "No" goes back.
 */
export function ConfirmBox({
  text,
  yes,
  no,
  busy = false,
  danger = false,
  onYes,
  onNo,
  testId,
}: {
  text: string;
  yes: string;
  no: string;
  busy?: boolean;
  danger?: boolean;
  onYes: () => void;
  onNo: () => void;
  testId?: string;
}) {
  const textId = `rg-confirm-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);
  return (
    <div
      ref={ref}
      role="alertdialog"
      aria-modal="false"
      aria-describedby={textId}
      aria-label={yes}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onNo();
      }}
    >
      <Box padding="space.150" backgroundColor={danger ? 'color.background.danger' : 'color.background.information'}>
        <Stack space="space.100">
          <Text as="p" id={textId}>
            {text}
          </Text>
          <Inline space="space.100">
            <Button appearance={danger ? 'danger' : 'primary'} isLoading={busy} onClick={onYes}>
              {yes}
            </Button>
            <Button appearance="subtle" onClick={onNo}>
              {no}
            </Button>
          </Inline>
        </Stack>
      </Box>
    </div>
  );
}
