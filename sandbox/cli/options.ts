/** `npm start -- [--reset] [--upgrade] [--db PATH] [--size N] [--port N] [--seed N] [--today YYYY-MM-DD]`; `PORT` too. */

export interface StartOptions {
  /** SQLite file of the platform (store and Jira); `:memory:` for a throw-away run. */
  dbPath: string;
  /** Delete the database first, then seed again. */
  reset: boolean;
  /** Deliver `avi:forge:upgraded:app` to an existing database's app before serving (as a major-version deploy does). */
  upgrade: boolean;
  /** Extra generated releases (benchmarks). */
  size: number;
  port: number;
  seed: number | undefined;
  /** The demo's "today" as epoch ms (UTC midnight); default: the real today. */
  today: number | undefined;
  help: boolean;
}

export const DEFAULT_DB = '.data/demo.sqlite';
export const DEFAULT_PORT = 4000;

export const USAGE = `Usage: npm start -- [options]

  --reset            delete the database and seed the demo again
  --upgrade          the app was upgraded: deliver avi:forge:upgraded:app first (set-up brings
                     an existing site's workflow rules to the current code's)
  --db PATH          SQLite file (default ${DEFAULT_DB}; ":memory:" keeps nothing)
  --size N           generate N more releases (benchmarks), deterministically
  --port N           port of the Jira chrome (default: PORT or ${DEFAULT_PORT}); loopback only
  --seed N           PRNG seed of the demo (default: the fixed demo seed)
  --today YYYY-MM-DD the demo's today (default: today, UTC)
  --help             this text`;

export class UsageError extends Error {}

function integer(flag: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} needs an integer from ${min} to ${max}`);
  return n;
}

export function parseStartArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
  const o: StartOptions = {
    dbPath: DEFAULT_DB,
    reset: false,
    upgrade: false,
    size: 0,
    port: env.PORT ? integer('PORT', env.PORT, 0, 65_535) : DEFAULT_PORT,
    seed: undefined,
    today: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--upgrade':
        o.upgrade = true;
        break;
      case '--reset':
        o.reset = true;
        break;
      case '--db': {
        const v = value();
        if (!v) throw new UsageError('--db needs a path');
        o.dbPath = v;
        break;
      }
      case '--size':
        o.size = integer('--size', value(), 0, 100_000);
        break;
      case '--port':
        o.port = integer('--port', value(), 0, 65_535);
        break;
      case '--seed':
        o.seed = integer('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--today': {
        const v = value() ?? '';
        const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
        if (Number.isNaN(t)) throw new UsageError('--today needs a date as YYYY-MM-DD');
        o.today = t;
        break;
      }
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  return o;
}
