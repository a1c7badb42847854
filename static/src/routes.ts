import type { ComponentType } from 'react';

type Loader = () => Promise<{ default: ComponentType }>;

/**
 * Module key (manifest.yml) → the module's code, each its own chunk: a frame downloads only the module it
 * shows. `edit` is the configuration view of a dashboard gadget (`extension.entryPoint === 'edit'`).
 */
export const routes: Record<string, { view: Loader; edit?: Loader }> = {
  'release-panel': { view: () => import('./modules/release-panel') },
  'release-glance': { view: () => import('./modules/release-glance') },
  'raise-release': { view: () => import('./modules/raise-release') },
  'release-workbench': { view: () => import('./modules/release-workbench') },
  'release-admin': { view: () => import('./modules/release-admin') },
  'kpi-gadget': { view: () => import('./modules/kpi-gadget'), edit: () => import('./modules/kpi-gadget/edit') },
};

export function pickRoute(moduleKey: string, entryPoint: string | undefined): Loader | undefined {
  const route = routes[moduleKey];
  if (!route) return undefined;
  return entryPoint === 'edit' && route.edit ? route.edit : route.view;
}
