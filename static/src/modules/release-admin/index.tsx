import { NotReady } from '../../shared';

/** Frame of the `release-admin` module; its screens come with its resolvers. */
export default function Module() {
  return <NotReady titleKey="modules.releaseAdmin.title" />;
}
