import '@atlaskit/css-reset';
import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { loadProductContext, ProductContextProvider, type ProductContext } from './shared/context';
import { I18nProvider, loadCatalog, resolveLocale, translate, type Catalog } from './shared/i18n';
import { enableTheme } from './shared/theme';
import { setServerMessages } from './shared/invoke';
import { loadServerMessages } from './shared/i18n/serverMessages';
import { ErrorState } from './shared/ui/ErrorState';
import { pickRoute } from './routes';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const root = createRoot(container);

function render(context: ProductContext, catalog: Catalog, Module: ComponentType) {
  document.documentElement.lang = catalog.locale;
  root.render(
    <StrictMode>
      <ProductContextProvider value={context}>
        <I18nProvider catalog={catalog} timeZone={context.timezone}>
          <Module />
        </I18nProvider>
      </ProductContextProvider>
    </StrictMode>,
  );
  // The module's first paint, for `npm run bench` (and any real-user monitoring): one mark per frame.
  if (performance.getEntriesByName(FIRST_RENDER).length === 0) requestAnimationFrame(() => performance.mark(FIRST_RENDER));
}

const FIRST_RENDER = 'rg:first-render';

async function start(): Promise<void> {
  // Theme first, so the first paint already has the user's colours.
  const [context] = await Promise.all([loadProductContext(), enableTheme()]);
  const locale = resolveLocale(context.locale);
  const load = pickRoute(context.moduleKey, context.extension.entryPoint);
  const catalogPromise = loadCatalog(locale);
  if (!load) {
    const catalog = await catalogPromise;
    const message = translate(catalog, 'common.unknownModule', { moduleKey: context.moduleKey });
    render(context, catalog, () => <ErrorState error={new Error(message)} />);
    return;
  }
  const [catalog, module, serverMessages] = await Promise.all([catalogPromise, load(), loadServerMessages(locale)]);
  setServerMessages(serverMessages);
  render(context, catalog, module.default);
}

start().catch((err: unknown) => {
  // No context, no strings: say so plainly rather than leave an empty frame.
  container.textContent = `Release Governance could not start: ${err instanceof Error ? err.message : String(err)}`;
  container.setAttribute('role', 'alert');
});
