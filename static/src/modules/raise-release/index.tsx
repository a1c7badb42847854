import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { router, view } from '@forge/bridge';
import { useState, type FormEvent } from 'react';
import { ErrorState, Loading, ModuleFrame, ResolverError, useAsync, useI18n, useProductContext } from '../../shared';
import { notifyWithAction } from '../../shared/flagAction';
import { loadVocabulary } from '../../shared/vocabulary';
import { AlertText, selectStyle } from '../../shared/ui/form';
import type { Classification } from '../../../../src/domain/release';
import { readChangeRequest, submitRelease, SUBMIT_BOUNDS } from './api';

const CLASSIFICATIONS: Classification[] = ['STANDARD', 'MINOR', 'MAJOR', 'EMERGENCY'];


function openIssue(issueKey: string): void {
  void router.navigate({ target: 'issue', issueKey }).catch(() => undefined);
}

/** The issue action on a change request: raise a Release Request linked to it, prefilled from it. */
export default function RaiseRelease() {
  const { t, locale } = useI18n();
  const { extension } = useProductContext();
  const change = extension.issue;
  const projectId = extension.project?.id;
  const prefill = useAsync(async () => {
    const [read, vocab] = await Promise.all([change ? readChangeRequest(change.key) : Promise.resolve(null), loadVocabulary(locale)]);
    return { read, vocab };
  }, [change?.key, locale]);
  const [summary, setSummary] = useState<string | null>(null);
  const [description, setDescription] = useState<string | null>(null);
  const [classification, setClassification] = useState<string>('');
  const [errors, setErrors] = useState<{ summary?: string; description?: string }>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [raised, setRaised] = useState<string | null>(null);

  const title = t('raise.title');
  if (!change || !projectId) {
    return (
      <ModuleFrame title={title}>
        <SectionMessage appearance="warning" title={t('raise.noIssueTitle')}>
          <Text as="p">{t('raise.noIssue')}</Text>
        </SectionMessage>
      </ModuleFrame>
    );
  }
  if (prefill.status === 'loading') return <Loading label={t('raise.loading')} />;
  if (prefill.status === 'error') return <ErrorState error={prefill.error} onRetry={prefill.reload} />;
  const { read, vocab } = prefill.data;
  const summaryValue = summary ?? (read?.summary ? t('raise.summaryFrom', { summary: read.summary }).slice(0, SUBMIT_BOUNDS.summary) : t('raise.summaryFor', { key: change.key }));
  const descriptionValue = description ?? read?.description ?? '';

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!change || !projectId) return;
    const s = summaryValue.trim();
    const d = descriptionValue.trim();
    const found: { summary?: string; description?: string } = {};
    if (!s) found.summary = t('raise.required');
    else if (s.length > SUBMIT_BOUNDS.summary) found.summary = t('raise.tooLong', { max: SUBMIT_BOUNDS.summary });
    if (d.length > SUBMIT_BOUNDS.description) found.description = t('raise.tooLong', { max: SUBMIT_BOUNDS.description });
    setErrors(found);
    setFormError(undefined);
    if (found.summary || found.description) {
      document.getElementById(found.summary ? 'rg-raise-summary' : 'rg-raise-description')?.focus();
      return;
    }
    setBusy(true);
    try {
      const release = await submitRelease({
        projectId,
        linkedChangeKey: change.key,
        summary: s,
        ...(d ? { description: d } : {}),
        ...(classification ? { classification: classification as Classification } : {}),
      });
      const key = release.issueKey ?? release.id;
      setRaised(key);
      notifyWithAction('success', t('raise.raised', { key }), t('raise.raisedDescription', { change: change.key }), { text: t('raise.open', { key }), onClick: () => openIssue(key) });
    } catch (err) {
      const message = err instanceof Error && err.message ? err.message : t('common.unknownError');
      if (err instanceof ResolverError && (err.field === 'summary' || err.field === 'description')) setErrors({ [err.field]: message });
      setFormError(message);
    } finally {
      setBusy(false);
    }
  }

  if (raised) {
    return (
      <ModuleFrame title={title}>
        <SectionMessage appearance="success" title={t('raise.raised', { key: raised })} testId="rg-raised">
          <Stack space="space.100">
            <Text as="p">{t('raise.raisedDescription', { change: change.key })}</Text>
            <Inline space="space.100">
              <Button appearance="primary" onClick={() => openIssue(raised)}>
                {t('raise.open', { key: raised })}
              </Button>
              <Button appearance="subtle" onClick={() => void view.close().catch(() => undefined)}>
                {t('raise.close')}
              </Button>
            </Inline>
          </Stack>
        </SectionMessage>
      </ModuleFrame>
    );
  }

  return (
    <ModuleFrame title={title}>
      <form aria-label={title} noValidate onSubmit={onSubmit} data-testid="rg-raise-form">
        <Stack space="space.150">
          <Text as="p" color="color.text.subtle">
            {t('raise.intro', { key: change.key })}
          </Text>
          {!read ? (
            <Text as="p" size="small" color="color.text.subtlest">
              {t('raise.noPrefill')}
            </Text>
          ) : null}
          <Stack space="space.050">
            <Label htmlFor="rg-raise-summary">
              {t('raise.summary')}
              <span aria-hidden="true"> *</span>
            </Label>
            <Textfield
              id="rg-raise-summary"
              value={summaryValue}
              isRequired
              isInvalid={Boolean(errors.summary)}
              aria-describedby={errors.summary ? 'rg-raise-summary-error' : undefined}
              onChange={(e) => setSummary(e.currentTarget.value)}
            />
            {errors.summary ? (
              <Text as="p" size="small" color="color.text.danger" id="rg-raise-summary-error">
                {errors.summary}
              </Text>
            ) : null}
          </Stack>
          <Stack space="space.050">
            <Label htmlFor="rg-raise-description">{t('raise.description')}</Label>
            <TextArea
              id="rg-raise-description"
              value={descriptionValue}
              minimumRows={4}
              resize="vertical"
              isInvalid={Boolean(errors.description)}
              aria-describedby={errors.description ? 'rg-raise-description-error' : undefined}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            {errors.description ? (
              <Text as="p" size="small" color="color.text.danger" id="rg-raise-description-error">
                {errors.description}
              </Text>
            ) : null}
          </Stack>
          <Stack space="space.050">
            <Label htmlFor="rg-raise-classification">{t('raise.classification')}</Label>
            <select id="rg-raise-classification" value={classification} onChange={(e) => setClassification(e.currentTarget.value)} style={selectStyle}>
              <option value="">{t('raise.classificationLater')}</option>
              {CLASSIFICATIONS.map((c) => (
                <option key={c} value={c}>
                  {vocab.word('classification', c)}
                </option>
              ))}
            </select>
          </Stack>
          <Text as="p" size="small" color="color.text.subtle">
            {t('raise.linked', { key: change.key })}
          </Text>
          <AlertText>{formError}</AlertText>
          <Inline space="space.100">
            <Button type="submit" appearance="primary" isLoading={busy}>
              {t('raise.submit')}
            </Button>
            <Button appearance="subtle" onClick={() => void view.close().catch(() => undefined)}>
              {t('raise.cancel')}
            </Button>
          </Inline>
        </Stack>
      </form>
    </ModuleFrame>
  );
}
