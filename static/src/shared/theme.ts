import { view } from '@forge/bridge';

/**
 * Asks the host to apply its theme (light or dark) to this frame: the host sets `data-color-mode` and
 * supplies the design-token CSS, and keeps them in step when the user switches theme. Failing to theme
 * must not stop the app from rendering.
 */
export async function enableTheme(): Promise<void> {
  try {
    await view.theme.enable();
  } catch {
    // Unthemed fallback: tokens resolve to their light defaults.
  }
}
