import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState, type FormEvent } from 'react';
import { ErrorState, Loading, ModuleFrame, notify, ResolverError, useAsync, useI18n } from '../../shared';
import { addNote, listNotes } from './api';

/** The issue panel. For now it shows the example resolver's notes: one round trip through the bridge. */
export default function ReleasePanel() {
  const { t, format } = useI18n();
  const notes = useAsync(() => listNotes({}));
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    setSaving(true);
    setFieldError(undefined);
    try {
      await addNote({ text: text.trim() });
      setText('');
      notify('success', t('modules.releasePanel.added'));
      notes.reload();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof ResolverError && err.code !== 'TRANSPORT') setFieldError(message);
      else notify('error', t('common.errorTitle'), message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <ModuleFrame title={t('modules.releasePanel.title')}>
      <Stack space="space.150">
        <Text as="strong">{t('modules.releasePanel.notesHeading')}</Text>
        {notes.status === 'loading' ? <Loading /> : null}
        {notes.status === 'error' ? <ErrorState error={notes.error} onRetry={notes.reload} /> : null}
        {notes.status === 'ready' && notes.data.length === 0 ? (
          <Text as="p" color="color.text.subtle" testId="rg-notes-empty">
            {t('modules.releasePanel.empty')}
          </Text>
        ) : null}
        {notes.status === 'ready' && notes.data.length > 0 ? (
          <Box as="ul" testId="rg-notes">
            {notes.data.map((n) => (
              <Box as="li" key={n.id} paddingBlock="space.050">
                <Text as="p">{n.text}</Text>
                <Text as="p" size="small" color="color.text.subtlest">
                  {t('modules.releasePanel.by', { author: n.author, when: format.dateTime(n.createdAt) })}
                </Text>
              </Box>
            ))}
          </Box>
        ) : null}
        <form onSubmit={submit}>
          <Stack space="space.050">
            <label htmlFor="rg-note-text">
              <Text size="small" weight="semibold">
                {t('modules.releasePanel.noteLabel')}
              </Text>
            </label>
            <Inline space="space.100" alignBlock="start">
              <div style={{ flexGrow: 1 }}>
                <Textfield
                  id="rg-note-text"
                  value={text}
                  maxLength={500}
                  isInvalid={Boolean(fieldError)}
                  aria-describedby={fieldError ? 'rg-note-error' : undefined}
                  onChange={(e) => setText(e.currentTarget.value)}
                />
              </div>
              <Button type="submit" appearance="primary" isLoading={saving} isDisabled={!text.trim()}>
                {t('modules.releasePanel.add')}
              </Button>
            </Inline>
            {fieldError ? (
              <Text id="rg-note-error" size="small" color="color.text.danger">
                {fieldError}
              </Text>
            ) : null}
          </Stack>
        </form>
      </Stack>
    </ModuleFrame>
  );
}
