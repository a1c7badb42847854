import { NotReady } from '../../shared';

/** Frame of the `kpi-gadget` module; its screens come with its resolvers. */
export default function Module() {
  return <NotReady titleKey="modules.kpiGadget.title" />;
}
