import { ensureGlobalRoles } from '../services/project-setup';

/**
 * `avi:forge:installed:app`: creates what is global to the site (the project roles of SPEC §2) so that admins
 * can fill them before any project is set up. Idempotent: a repeated or late event finds the roles and
 * creates nothing.
 */
export async function appInstalled(): Promise<void> {
  await ensureGlobalRoles();
}
