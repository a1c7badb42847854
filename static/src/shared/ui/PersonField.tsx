import Textfield from '@atlaskit/textfield';
import { lazy, Suspense } from 'react';
import { useI18n } from '../i18n';
import type { PeoplePool, PersonPickerProps } from './PersonPicker';

export type { PeoplePool };

// The picker (Atlaskit select) loads when a form with a person field first opens, not with the module.
const PersonPicker = lazy(() => import('./PersonPicker'));

/** A person field: the people picker, with a disabled stand-in while its code loads. */
export function PersonField(props: PersonPickerProps) {
  const { t } = useI18n();
  return (
    <Suspense fallback={<Textfield id={props.id} isDisabled placeholder={t('people.loadingPicker')} aria-labelledby={props.labelId} />}>
      <PersonPicker {...props} />
    </Suspense>
  );
}
