import Lozenge from '@atlaskit/lozenge';
import { Box, Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { ErrorState, Loading, useAsync, useI18n } from '../../shared';
import { loadVocabulary } from '../../shared/vocabulary';
import { RESOLVER_KEYS } from '../../../../src/contracts/keys';
import type { PanelSummaryView } from '../../../../src/contracts/views';
import type { ReleaseStatus } from '../../../../src/domain/release';
import { resolver } from '../../shared';

const getGlance = resolver<Record<string, never>, PanelSummaryView>(RESOLVER_KEYS.getPanelSummary);

const APPEARANCE: Partial<Record<ReleaseStatus, 'new' | 'success' | 'removed' | 'moved'>> = {
  SUBMITTED: 'new',
  CLOSED: 'success',
  REJECTED: 'removed',
  CANCELLED: 'removed',
  ROLLING_BACK: 'moved',
};

/** Release readiness at a look: status, the next step and how many of its gate conditions hold. */
export default function ReleaseGlance() {
  const { t, locale, format } = useI18n();
  const state = useAsync(() => Promise.all([getGlance({}), loadVocabulary(locale)]), [locale]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={state.reload} />;
  const [view, vocab] = state.data;
  const r = view.release;
  return (
    <Box as="main" padding="space.100" testId="rg-glance">
      <h1 style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' }}>{t('glance.title')}</h1>
      {!r ? (
        <Text as="p" color="color.text.subtle">
          {t('glance.noRelease')}
        </Text>
      ) : (
        <Stack space="space.100">
          <div>
            <Lozenge appearance={APPEARANCE[r.status] ?? 'inprogress'} isBold testId="rg-glance-status">
              {vocab.word('status', r.status)}
            </Lozenge>{' '}
            {r.outcome ? <Lozenge appearance={r.outcome === 'SUCCESS' ? 'success' : 'removed'}>{vocab.word('outcome', r.outcome)}</Lozenge> : null}
          </div>
          {view.checklist?.action ? (
            <>
              <Text as="p" testId="rg-glance-next">
                {t('glance.nextStep', { action: vocab.word('action', view.checklist.action) })}
              </Text>
              <Text as="p" testId="rg-glance-count" color={view.checklist.allMet ? 'color.text.success' : 'color.text.warning'}>
                {t('glance.conditions', { met: view.checklist.items.filter((i) => i.met && !i.advisory).length, total: view.checklist.items.filter((i) => !i.advisory).length })}
              </Text>
              {view.checklist.items.length > 0 ? (
                // Each condition by its neutral label (gate.*), met or not; the reason only under an unmet one.
                <ul style={{ margin: 0, padding: 0, listStyle: 'none', display: 'grid', gap: token('space.050', '4px') }} aria-label={t('glance.conditionsLabel')} data-testid="rg-glance-checklist">
                  {view.checklist.items.map((i) => (
                    <li key={i.code} data-met={i.met} data-code={i.code}>
                      <Lozenge appearance={i.met ? 'success' : i.advisory ? 'moved' : 'removed'}>{i.met ? t('panel.checklist.met') : i.advisory ? t('panel.checklist.flagged') : t('panel.checklist.unmet')}</Lozenge> <Text size="small">{vocab.word('gate', i.code)}</Text>
                      {i.met ? null : (
                        <Text as="p" size="small" color="color.text.subtle">
                          {vocab.word('reason', i.code)}
                        </Text>
                      )}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : (
            <Text as="p" color="color.text.subtle">
              {t('glance.finished')}
            </Text>
          )}
          {r.windowStart !== null && r.windowEnd !== null ? (
            <Text as="p" size="small" color="color.text.subtle">
              {t('glance.window', { start: format.dateTime(r.windowStart), end: format.dateTime(r.windowEnd) })}
            </Text>
          ) : null}
        </Stack>
      )}
    </Box>
  );
}
