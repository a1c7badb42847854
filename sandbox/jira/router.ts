import type { RouteRequest, RouteResult } from './http';
import type { Site } from './site';

export type RouteHandler = (req: RouteRequest, site: Site) => Promise<RouteResult> | RouteResult;

/** One emulated operation, named exactly as the OpenAPI document's path template. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  handler: RouteHandler;
}

export const route = (method: Route['method'], template: string, handler: RouteHandler): Route => ({ method, template, handler });

export class RouteTable {
  private readonly byKey = new Map<string, Route>();

  constructor(routes: Route[]) {
    for (const r of routes) {
      const key = `${r.method} ${r.template}`;
      if (this.byKey.has(key)) throw new Error(`duplicate Jira route ${key}`);
      this.byKey.set(key, r);
    }
  }

  find(method: string, template: string): Route | undefined {
    return this.byKey.get(`${method.toUpperCase()} ${template}`);
  }

  list(): { method: string; template: string }[] {
    return [...this.byKey.values()].map((r) => ({ method: r.method, template: r.template }));
  }
}
