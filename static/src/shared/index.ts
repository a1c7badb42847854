export { useProductContext, type ProductContext, type Extension, type IssueRef, type ProjectRef } from './context';
export { callResolver, resolver, ResolverError, type Envelope, type Payload } from './invoke';
export { notify, type FlagKind } from './flags';
export { useI18n, type MessageKey } from './i18n';
export { useAsync, type AsyncState } from './useAsync';
export { Loading } from './ui/Loading';
export { ErrorState } from './ui/ErrorState';
export { ModuleFrame } from './ui/ModuleFrame';
export { NotReady } from './ui/NotReady';
