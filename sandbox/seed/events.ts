import type Database from 'better-sqlite3';
import type { JiraBackend, Platform, PlatformHooks } from '../index';
import type { LoadedManifest } from '../manifest';

type JiraFactory = (db: Database.Database, hooks: PlatformHooks, manifest: LoadedManifest) => JiraBackend;

/**
 * Jira's product events, held while the demo is seeded. Forge delivers them asynchronously, so a Release
 * Request's `created` event may reach the app's trigger before or after the resolver that created the issue
 * has stored its record — both are handled, but the audit trail differs. Holding the events and handing them
 * over one at a time after each call makes the seed reproducible; once open, events flow as usual.
 */
export class EventGate {
  private holding = true;
  private readonly queue: { eventType: string; event: Record<string, unknown> }[] = [];
  private hooks: PlatformHooks | undefined;

  /** Wraps a Jira factory (e.g. `jiraFactory()`) so that its events pass through this gate. */
  wrap(factory: JiraFactory): JiraFactory {
    return (db, hooks, manifest) => {
      this.hooks = hooks;
      const gated: PlatformHooks = {
        invokeFunction: (fn, event, opts) => hooks.invokeFunction(fn, event, opts),
        emitEvent: (eventType, event) => {
          if (this.holding) this.queue.push({ eventType, event });
          else hooks.emitEvent(eventType, event);
        },
      };
      return factory(db, gated, manifest);
    };
  }

  /** Delivers what is held, one event at a time, each fully handled before the next. */
  async deliverHeld(platform: Platform): Promise<number> {
    let n = 0;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      this.hooks?.emitEvent(next.eventType, next.event);
      await platform.drainEvents();
      n += 1;
    }
    return n;
  }

  /** Delivers what is held and lets later events through as they happen. */
  async open(platform: Platform): Promise<void> {
    await this.deliverHeld(platform);
    this.holding = false;
  }
}
