import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useI18n } from '../../../shared';
import type { PageProps } from '../model';
import { PageHeading } from '../pages/parts';

/**
 * The Definitive Software Library page of the workbench. A placeholder: the DSL worker owns this folder and
 * replaces this component (same default export, same props) with the library's screens.
 */
export default function DslLibrary(_props: PageProps) {
  const { t } = useI18n();
  return (
    <Stack space="space.150">
      <PageHeading title={t('workbench.dsl.title')} />
      <SectionMessage appearance="information" title={t('common.notReadyTitle')}>
        <Text as="p">{t('workbench.dsl.placeholder')}</Text>
      </SectionMessage>
    </Stack>
  );
}
