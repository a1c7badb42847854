import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { getConsistency } from './api';
import { useDslWords } from './parts';

/** The consistency list of the library (or of one release when `releaseId` is given). */
export function Findings({ projectId, releaseId, nameOf, onOpen }: { projectId: string; releaseId?: string; nameOf?: (itemId: string) => string | undefined; onOpen?: (itemId: string) => void }) {
  const { t, format } = useI18n();
  const words = useDslWords();
  const data = useAsync(() => getConsistency({ projectId, ...(releaseId ? { releaseId } : {}) }), [projectId, releaseId]);
  if (data.status === 'loading') return <Loading />;
  if (data.status === 'error') return <ErrorState error={data.error} onRetry={data.reload} />;
  const v = data.data;
  return (
    <Stack space="space.100" testId="rg-dsl-findings">
      <Inline space="space.100" alignBlock="center" spread="space-between">
        <Text color="color.text.subtle">{format.dateTime(v.checkedAt)}</Text>
        <Button appearance="subtle" onClick={data.reload}>
          {t('dsl.consistency.refresh')}
        </Button>
      </Inline>
      {v.truncated ? <SectionMessage appearance="warning">{t('dsl.consistency.truncated')}</SectionMessage> : null}
      {v.fixVersionsUnknown ? <SectionMessage appearance="warning">{t('dsl.consistency.fixVersionsUnknown')}</SectionMessage> : null}
      {v.findings.length === 0 ? (
        <SectionMessage appearance="success">{t('dsl.consistency.none')}</SectionMessage>
      ) : (
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {v.findings.map((f, i) => (
            <li key={`${f.code}-${f.itemId ?? ''}-${f.environment ?? ''}-${i}`} data-testid={`rg-dsl-finding-${f.code}`}>
              <Text>{words.finding(f)}</Text>{' '}
              {f.itemId && onOpen ? (
                <Button appearance="subtle" spacing="compact" onClick={() => onOpen(f.itemId as string)}>
                  {nameOf?.(f.itemId) ?? f.name ?? f.itemId}
                </Button>
              ) : f.name ? (
                <Text color="color.text.subtle">{f.name}</Text>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
