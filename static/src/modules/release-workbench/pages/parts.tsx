import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { router } from '@forge/bridge';
import type { ReactNode } from 'react';
import { useI18n } from '../../../shared';
import { useVocabulary } from '../../../shared/vocabulary';
import type { Release, ReleaseStatus } from '../api';

export function PageHeading({ title, intro, actions }: { title: string; intro?: string; actions?: ReactNode }) {
  return (
    <Stack space="space.050">
      <Inline spread="space-between" alignBlock="center" shouldWrap>
        <Heading size="small" as="h2" id="rg-page-title">
          {title}
        </Heading>
        {actions}
      </Inline>
      {intro ? (
        <Text as="p" color="color.text.subtle">
          {intro}
        </Text>
      ) : null}
    </Stack>
  );
}

const STATUS_APPEARANCE: Partial<Record<ReleaseStatus, 'inprogress' | 'success' | 'removed' | 'moved' | 'new' | 'default'>> = {
  SUBMITTED: 'new',
  PLANNING: 'inprogress',
  BUILD_TEST: 'inprogress',
  READY: 'inprogress',
  IMPLEMENTING: 'inprogress',
  VERIFYING: 'moved',
  ROLLING_BACK: 'removed',
  CLOSED: 'success',
  REJECTED: 'removed',
  CANCELLED: 'default',
};

export function StatusLozenge({ status }: { status: ReleaseStatus }) {
  const { name } = useVocabulary();
  return <Lozenge appearance={STATUS_APPEARANCE[status] ?? 'default'}>{name('status', status)}</Lozenge>;
}

export function WindowText({ release }: { release: Release }) {
  const { t, format } = useI18n();
  if (release.windowStart === null || release.windowEnd === null) return <Text color="color.text.subtle">{t('workbench.noWindow')}</Text>;
  return <Text>{t('workbench.windowRange', { from: format.dateTime(release.windowStart), to: format.dateTime(release.windowEnd) })}</Text>;
}

/**
 * An action that takes the user to the issue, where the panel runs it. Disabled (with the reason, read out by
 * assistive tech through `aria-describedby`) for those who may not act.
 */
export function OpenIssueAction({ issueKey, label, reasonId, allowed }: { issueKey: string; label: string; reasonId?: string; allowed: boolean }) {
  const path = `/browse/${encodeURIComponent(issueKey)}`;
  return (
    <Button
      spacing="compact"
      appearance={allowed ? 'primary' : 'default'}
      isDisabled={!allowed}
      aria-describedby={!allowed ? reasonId : undefined}
      onClick={() => {
        router.navigate(path).catch(() => undefined);
      }}
    >
      {label}
    </Button>
  );
}

/** The reason some actions on a page are disabled, shown once above the list. */
export function DisabledReason({ id, text }: { id: string; text: string }) {
  return (
    <Text as="p" id={id} size="small" color="color.text.subtle" testId="rg-disabled-reason">
      {text}
    </Text>
  );
}
