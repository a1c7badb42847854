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
import Lozenge from '@atlaskit/lozenge';
import { readChangeRequest, REASON_MAX, releasesOfChange, submitRelease, SUBMIT_BOUNDS } from './api';

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
    const [read, vocab, earlier] = await Promise.all([
      change ? readChangeRequest(change.key) : Promise.resolve(null),
      loadVocabulary(locale),
      change && projectId ? releasesOfChange({ projectId, changeKey: change.key }) : Promise.resolve(null),
    ]);
    return { read, vocab, earlier };
  }, [change?.key, projectId, locale]);
  const [summary, setSummary] = useState<string | null>(null);
  const [description, setDescription] = useState<string | null>(null);
  const [classification, setClassification] = useState<string>('');
  const [errors, setErrors] = useState<{ summary?: string; description?: string }>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [raised, setRaised] = useState<string | null>(null);
  // A change request that has a release already: raising another is a deliberate choice, with a reason.
  const [another, setAnother] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();

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
  const { read, vocab, earlier } = prefill.data;
  if (earlier?.isReleaseRequest) {
    return (
      <ModuleFrame title={title}>
        <SectionMessage appearance="warning" title={t('raise.isReleaseTitle')} testId="rg-raise-is-release">
          <Text as="p">{t('raise.isRelease', { key: change.key })}</Text>
        </SectionMessage>
      </ModuleFrame>
    );
  }
  const existing = earlier?.releases ?? [];
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
    const why = reason.trim();
    const whyError = existing.length > 0 ? (!why ? t('raise.reasonRequired') : why.length > REASON_MAX ? t('raise.tooLong', { max: REASON_MAX }) : undefined) : undefined;
    setErrors(found);
    setReasonError(whyError);
    setFormError(undefined);
    if (found.summary || found.description || whyError) {
      document.getElementById(whyError ? 'rg-raise-reason' : found.summary ? 'rg-raise-summary' : 'rg-raise-description')?.focus();
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
        ...(existing.length > 0 ? { raiseAnotherReason: why } : {}),
      });
      const key = release.issueKey ?? release.id;
      setRaised(key);
      notifyWithAction('success', t('raise.raised', { key }), t('raise.raisedDescription', { change: change.key }), { text: t('raise.open', { key }), onClick: () => openIssue(key) });
    } catch (err) {
      const message = err instanceof Error && err.message ? err.message : t('common.unknownError');
      if (err instanceof ResolverError && (err.field === 'summary' || err.field === 'description')) setErrors({ [err.field]: message });
      if (err instanceof ResolverError && err.field === 'raiseAnotherReason') setReasonError(message);
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

  if (existing.length > 0 && !another) {
    return (
      <ModuleFrame title={title}>
        <Stack space="space.150" testId="rg-raise-existing">
          <SectionMessage appearance="information" title={t('raise.hasReleaseTitle', { key: change.key })}>
            <Text as="p">{t('raise.hasRelease', { count: existing.length })}</Text>
          </SectionMessage>
          <ul aria-label={t('raise.existingLabel', { key: change.key })} style={{ margin: 0, paddingInlineStart: 0, listStyle: 'none' }}>
            {existing.map((r) => {
              const key = r.issueKey ?? r.id;
              return (
                <li key={r.id} style={{ marginBlockEnd: 8 }}>
                  <Inline space="space.100" alignBlock="center" shouldWrap>
                    <Text weight="medium">{key}</Text>
                    {r.summary ? <Text>{r.summary}</Text> : null}
                    <Lozenge appearance={r.status === 'CLOSED' ? 'success' : r.status === 'CANCELLED' || r.status === 'REJECTED' ? 'removed' : 'inprogress'}>{vocab.word('status', r.status)}</Lozenge>
                    <Button appearance="primary" spacing="compact" onClick={() => openIssue(key)}>
                      {t('raise.open', { key })}
                    </Button>
                  </Inline>
                </li>
              );
            })}
          </ul>
          <Inline space="space.100">
            <Button appearance="default" onClick={() => setAnother(true)} testId="rg-raise-another">
              {t('raise.another')}
            </Button>
            <Button appearance="subtle" onClick={() => void view.close().catch(() => undefined)}>
              {t('raise.close')}
            </Button>
          </Inline>
        </Stack>
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
          {existing.length > 0 ? (
            <Stack space="space.050">
              <Label htmlFor="rg-raise-reason">
                {t('raise.anotherReason')}
                <span aria-hidden="true"> *</span>
              </Label>
              <TextArea
                id="rg-raise-reason"
                value={reason}
                minimumRows={2}
                resize="vertical"
                isRequired
                isInvalid={Boolean(reasonError)}
                aria-describedby={reasonError ? 'rg-raise-reason-hint rg-raise-reason-error' : 'rg-raise-reason-hint'}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
              <Text as="p" size="small" color="color.text.subtlest" id="rg-raise-reason-hint">
                {t('raise.anotherHint', { keys: existing.map((r) => r.issueKey ?? r.id).join(', ') })}
              </Text>
              {reasonError ? (
                <Text as="p" size="small" color="color.text.danger" id="rg-raise-reason-error">
                  {reasonError}
                </Text>
              ) : null}
            </Stack>
          ) : null}
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
