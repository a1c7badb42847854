// Only the `ui` section of the shared locale file enters the bundle (named JSON import, tree-shaken).
export { ui as default } from '../../../../locales/en-US.json';
