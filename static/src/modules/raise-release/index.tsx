import { NotReady } from '../../shared';

/** Frame of the `raise-release` module; its screens come with its resolvers. */
export default function Module() {
  return <NotReady titleKey="modules.raiseRelease.title" />;
}
