import type { DslItemSummary } from '../../../../../src/domain/dsl';

/**
 * The Software tab's content: the release's items in the Definitive Software Library and their DSL actions.
 * This folder belongs to the DSL work; until it lands the panel shows its own read-only list (`SoftwareTab`).
 * Replace `DslTab` with the real tab (same props) and set `DSL_TAB_READY` to true.
 */
export const DSL_TAB_READY = false;

export interface DslTabProps {
  releaseId: string;
  projectId: string;
  items: DslItemSummary[];
  /** Reload the panel after a DSL action. */
  onChanged: () => void;
}

export function DslTab(_props: DslTabProps) {
  return null;
}
