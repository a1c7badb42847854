import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useI18n } from '../i18n';
import { ResolverError } from '../invoke';

/** The error a user sees: the resolver's own message (already in their language) and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = error instanceof Error && error.message ? error.message : t('common.unknownError');
  const code = error instanceof ResolverError ? error.code : undefined;
  return (
    <SectionMessage appearance="error" title={t('common.errorTitle')} testId="rg-error">
      <Stack space="space.100">
        <Text as="p">{message}</Text>
        {code ? (
          <Text as="p" size="small" color="color.text.subtlest">
            {code}
          </Text>
        ) : null}
        {onRetry ? (
          <div>
            <Button onClick={onRetry}>{t('common.retry')}</Button>
          </div>
        ) : null}
      </Stack>
    </SectionMessage>
  );
}
