/** The clock and the commit every use case shares (storage errors become the service's structured errors). */
import { Changes, ConflictError, StorageLimitError } from '../storage/store';
import { ServiceError } from './errors';

export function now(): number {
  return Date.now();
}

export async function commit(changes: Changes): Promise<void> {
  try {
    await changes.commit();
  } catch (err) {
    if (err instanceof ConflictError) throw new ServiceError('CONFLICT');
    if (err instanceof StorageLimitError) throw new ServiceError('VALIDATION_FAILED', { detail: err.message, messageKey: 'tooLarge' });
    throw err;
  }
}
