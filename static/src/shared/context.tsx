import { view } from '@forge/bridge';
import { createContext, useContext, type ReactNode } from 'react';

/** Identifiers Jira puts in `context.extension` for the issue and project modules. */
export interface IssueRef {
  id: string;
  key: string;
  type?: string;
  typeId?: string;
}
export interface ProjectRef {
  id: string;
  key: string;
  type?: string;
}

export interface Extension {
  type: string;
  issue?: IssueRef;
  project?: ProjectRef;
  /** `edit` when a dashboard gadget shows its configuration view. */
  entryPoint?: string;
  gadgetConfiguration?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** The part of the bridge context the UI relies on, checked once at start-up. */
export interface ProductContext {
  moduleKey: string;
  localId: string;
  accountId?: string;
  cloudId?: string;
  siteUrl: string;
  locale: string;
  timezone?: string;
  extension: Extension;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function ref(v: unknown): { id: string; key: string; type?: string; typeId?: string } | undefined {
  if (!isObject(v)) return undefined;
  const id = v.id === undefined ? undefined : String(v.id);
  const key = str(v.key);
  if (!id || !key) return undefined;
  return { id, key, type: str(v.type), typeId: v.typeId === undefined ? undefined : String(v.typeId) };
}

export function toProductContext(raw: unknown): ProductContext {
  if (!isObject(raw) || typeof raw.moduleKey !== 'string') throw new Error('The host gave no module context');
  const ext = isObject(raw.extension) ? raw.extension : {};
  return {
    moduleKey: raw.moduleKey,
    localId: str(raw.localId) ?? raw.moduleKey,
    accountId: str(raw.accountId),
    cloudId: str(raw.cloudId),
    siteUrl: str(raw.siteUrl) ?? '',
    locale: str(raw.locale) ?? 'en-US',
    timezone: str(raw.timezone),
    extension: {
      ...ext,
      type: str(ext.type) ?? '',
      issue: ref(ext.issue),
      project: ref(ext.project),
      entryPoint: str(ext.entryPoint),
      gadgetConfiguration: isObject(ext.gadgetConfiguration) ? ext.gadgetConfiguration : undefined,
    },
  };
}

export async function loadProductContext(): Promise<ProductContext> {
  return toProductContext(await view.getContext());
}

const Ctx = createContext<ProductContext | null>(null);

export function ProductContextProvider({ value, children }: { value: ProductContext; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useProductContext(): ProductContext {
  const value = useContext(Ctx);
  if (!value) throw new Error('useProductContext() outside <ProductContextProvider>');
  return value;
}
