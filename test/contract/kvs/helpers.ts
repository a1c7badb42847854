import { join } from 'node:path';
import { ForgeKvsAPIError } from '@forge/kvs';
import { createPlatform, type Platform } from '../../../sandbox/index';

/** The test manifest: Forge's documented `employee` entity (plus the bench entity). */
export const KVS_TEST_MANIFEST = join(__dirname, '..', '..', 'fixtures', 'kvs', 'manifest.yml');

export interface Employee {
  surname?: string;
  age?: number;
  employmentyear?: number;
  gender?: string;
  nationality?: string;
  active?: boolean;
  rating?: number;
  profile?: unknown;
}

export interface KvsTestContext {
  readonly platform: Platform;
  /** Runs SDK code inside a Forge invocation and returns its value. */
  run<T>(fn: () => Promise<T> | T): Promise<T>;
  /** Sets the store's clock to `ms` from now (TTL expiry without waiting). */
  advanceClock(ms: number): void;
}

/**
 * One platform per test file (`:memory:`), emptied before each test, closed after the file.
 * Every test drives the store through the real `@forge/kvs` client inside `platform.run`.
 */
export function useKvsPlatform(): KvsTestContext {
  let platform: Platform | undefined;
  let offset = 0;
  const need = (): Platform => {
    if (!platform) throw new Error('platform not started');
    return platform;
  };
  beforeAll(() => {
    platform = createPlatform({ manifestPath: KVS_TEST_MANIFEST });
    platform.kvs.clock = () => Date.now() + offset;
  });
  afterAll(() => platform?.close());
  beforeEach(() => {
    offset = 0;
    need().db.exec('DELETE FROM kvs_items; DELETE FROM kvs_index;');
  });
  return {
    get platform() {
      return need();
    },
    async run<T>(fn: () => Promise<T> | T): Promise<T> {
      return (await need().run(fn)).value;
    },
    advanceClock(ms: number) {
      offset += ms;
    },
  };
}

/** Awaits a call that must fail with the given `ForgeKvsAPIError` code (and HTTP status, when given). */
export async function expectKvsError(p: Promise<unknown>, code: string, status?: number): Promise<ForgeKvsAPIError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ForgeKvsAPIError);
  const e = caught as ForgeKvsAPIError;
  expect(e.code).toBe(code);
  if (status !== undefined) expect(e.responseDetails.status).toBe(status);
  return e;
}
