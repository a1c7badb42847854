import { Box, Inline, Text } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useI18n } from '../i18n';

/** A labelled spinner: screen readers hear what is loading, not just that something spins. */
export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  const text = label ?? t('common.loading');
  return (
    <Box padding="space.200" role="status" aria-live="polite" testId="rg-loading">
      <Inline space="space.100" alignBlock="center">
        <Spinner size="medium" label={text} />
        <Text color="color.text.subtle">{text}</Text>
      </Inline>
    </Box>
  );
}
