import { getThemeHtmlAttrs } from '@atlaskit/tokens/get-theme-html-attrs';
import { getThemeStyles } from '@atlaskit/tokens/get-theme-styles';
import type { FrameTheme } from './protocol';

export type ColorMode = 'light' | 'dark';

/**
 * Atlassian's design-token themes, as Jira injects them into a themed Custom UI frame
 * (`<html data-theme=... data-color-mode=...>` plus the theme style sheets).
 */
export class ThemeCatalog {
  private readonly css = new Map<string, string>();
  private readonly ids = new Map<ColorMode, string[]>();

  static async load(): Promise<ThemeCatalog> {
    disableAtlaskitFeatureGates();
    const catalog = new ThemeCatalog();
    for (const mode of ['light', 'dark'] as const) {
      const styles = await getThemeStyles({ colorMode: mode });
      catalog.ids.set(mode, styles.map((s) => s.id));
      for (const s of styles) catalog.css.set(s.id, s.css);
    }
    return catalog;
  }

  /** CSS of one theme id (`light`, `dark`, `spacing`...), or undefined. */
  stylesheet(id: string): string | undefined {
    return this.css.get(id);
  }

  /** `base` is the origin-relative prefix under which {@link stylesheet} is served. */
  frameTheme(mode: ColorMode, base: string): FrameTheme {
    const attrs = getThemeHtmlAttrs({ colorMode: mode }) as Record<string, string>;
    return { colorMode: mode, attrs, stylesheets: (this.ids.get(mode) ?? []).map((id) => `${base}${id}.css`) };
  }
}

interface FlagGlobal {
  __PLATFORM_FEATURE_FLAGS__?: { booleanResolver?: (flag: string) => boolean };
}

/**
 * No Statsig here: every Atlaskit feature gate is off, as in a frame outside Atlassian's products. Set
 * through the global that `@atlaskit/platform-feature-flags` reads on every check (its documented resolver
 * hook), so that gate checks neither log nor reach for an uninitialised client.
 */
function disableAtlaskitFeatureGates(): void {
  const g = globalThis as FlagGlobal;
  const current = g.__PLATFORM_FEATURE_FLAGS__;
  if (!current?.booleanResolver) g.__PLATFORM_FEATURE_FLAGS__ = { ...current, booleanResolver: () => false };
}
