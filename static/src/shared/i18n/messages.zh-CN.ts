export { ui as default } from '../../../../locales/zh-CN.json';
