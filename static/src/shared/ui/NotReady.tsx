import SectionMessage from '@atlaskit/section-message';
import { Text } from '@atlaskit/primitives';
import { useI18n, type MessageKey } from '../i18n';
import { ModuleFrame } from './ModuleFrame';

/** The frame of a module whose screens are not built yet: its title and an honest note. */
export function NotReady({ titleKey }: { titleKey: MessageKey }) {
  const { t } = useI18n();
  return (
    <ModuleFrame title={t(titleKey)}>
      <SectionMessage appearance="information" title={t('common.notReadyTitle')}>
        <Text as="p">{t('common.notReady')}</Text>
      </SectionMessage>
    </ModuleFrame>
  );
}
