import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { getConsistency, type DslConsistencyView, type DslFinding } from './api';
import { useDslWords } from './parts';

/** The consistency list of the library (or of one release when `releaseId` is given). */
/** Each finding names its release (issue key as a link, and summary) and its item (name and version). */
export function Findings({ projectId, releaseId, onOpen }: { projectId: string; releaseId?: string; onOpen?: (itemId: string) => void }) {
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
              <FindingLine f={f} view={v} words={words} {...(onOpen ? { onOpen } : {})} />
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

/** One finding: its release (link and summary), then what is wrong, then the item it concerns. */
export function FindingLine({ f, view, words, onOpen }: { f: DslFinding; view: DslConsistencyView; words: ReturnType<typeof useDslWords>; onOpen?: (itemId: string) => void }) {
  const { t } = useI18n();
  const release = f.releaseId ? view.releases[f.releaseId] : undefined;
  const item = f.itemId ? view.items[f.itemId] : undefined;
  const itemLabel = item ? t('dsl.findingItem', { name: item.name, version: item.version }) : f.name;
  return (
    <Inline space="space.075" shouldWrap alignBlock="baseline">
      {release ? (
        <span data-testid="rg-dsl-finding-release">
          <IssueLink issueKey={release.issueKey} />
          {release.summary ? <Text color="color.text.subtle">{` ${release.summary}`}</Text> : null}
          <Text>:</Text>
        </span>
      ) : null}
      <Text>{words.finding(f)}</Text>
      {itemLabel && f.itemId && onOpen ? (
        <Button appearance="subtle" spacing="compact" onClick={() => onOpen(f.itemId as string)}>
          {itemLabel}
        </Button>
      ) : itemLabel ? (
        <Text color="color.text.subtle">{itemLabel}</Text>
      ) : null}
    </Inline>
  );
}
