import { NotReady } from '../../shared';

/** Frame of the `release-glance` module; its screens come with its resolvers. */
export default function Module() {
  return <NotReady titleKey="modules.releaseGlance.title" />;
}
