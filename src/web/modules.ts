/** Every capability's routes, registered in one place. Add a line per module. */
import type { App } from '../http/types.js';
import accountsRoutes from '../modules/accounts/accounts.routes.js';
import agenciesRoutes from '../modules/agencies/agencies.routes.js';
import auditRoutes from '../modules/audit-log/audit-log.routes.js';
import dashboardRoutes from '../modules/dashboard/dashboard.routes.js';
import portalRoutes from '../modules/portal/portal.routes.js';

export async function registerModules(app: App): Promise<void> {
  await app.register(accountsRoutes);
  await app.register(agenciesRoutes);
  await app.register(auditRoutes);
  await app.register(dashboardRoutes);
  await app.register(portalRoutes);
}
