import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { RESOLVER_KEYS } from '../../../../src/contracts/keys';
import type { JiraSyncView } from '../../../../src/contracts/views';
import { notify, resolver, useI18n } from '../../shared';

const retryJira = resolver<Record<string, never>, JiraSyncView>(RESOLVER_KEYS.retryJira);

/**
 * Whether Jira shows what the record says: nothing when it does; "being updated" while the change's Jira
 * effects are applied; "could not be updated: why, retrying" when the last attempt failed. The process owner
 * may retry now (the server checks it again).
 */
export function JiraSync({ jira, canRetry, onDone }: { jira: JiraSyncView | undefined; canRetry: boolean; onDone: () => void }) {
  const { t, format } = useI18n();
  const [busy, setBusy] = useState(false);
  if (!jira || jira.state === 'SYNCED') return null;
  const retry = async () => {
    setBusy(true);
    try {
      const after = await retryJira({});
      if (after.state === 'SYNCED') notify('success', t('panel.jiraRetried'));
      onDone();
    } catch (err) {
      notify('error', t('panel.jiraFailedTitle'), err instanceof Error ? err.message : undefined);
    } finally {
      setBusy(false);
    }
  };
  const failed = jira.state === 'FAILED';
  const reason = t(`panel.jiraReason.${jira.reason ?? 'OTHER'}` as never);
  return (
    <SectionMessage appearance={failed ? 'warning' : 'information'} title={failed ? t('panel.jiraFailedTitle') : t('panel.jiraPendingTitle')} testId="rg-jira-sync">
      <Stack space="space.100">
        <Text as="p">
          {!failed
            ? t('panel.jiraPending')
            : jira.nextAttemptAt !== null
              ? t('panel.jiraFailed', { reason, when: format.dateTime(jira.nextAttemptAt), attempts: jira.attempts })
              : t('panel.jiraFailedSoon', { reason, attempts: jira.attempts })}
        </Text>
        {canRetry ? (
          <div>
            <Button appearance="primary" isDisabled={busy} onClick={() => void retry()} testId="rg-jira-retry">
              {t('panel.jiraRetry')}
            </Button>
          </div>
        ) : null}
      </Stack>
    </SectionMessage>
  );
}
