/** Every capability's routes, registered in one place. Add a line per module. */
import type { App } from '../http/types.js';
import accountsRoutes from '../modules/accounts/accounts.routes.js';
import agenciesRoutes from '../modules/agencies/agencies.routes.js';
import auditRoutes from '../modules/audit-log/audit-log.routes.js';
import disclosureRoutes from '../modules/disclosure/disclosure.routes.js';
import dashboardRoutes from '../modules/dashboard/dashboard.routes.js';
import portalRoutes from '../modules/portal/portal.routes.js';
import notificationsRoutes, { notificationsHook } from '../modules/notifications/notifications.routes.js';
import suggestionsRoutes from '../modules/disclosure-suggestions/suggestions.routes.js';
import supervisionRoutes from '../modules/supervision/supervision.routes.js';
import assessmentRoutes from '../modules/assessment/assessment.routes.js';
import requestsRoutes from '../modules/requests/requests.routes.js';
import calendarRoutes from '../modules/calendar/calendar.routes.js';
import reviewsRoutes from '../modules/reviews/reviews.routes.js';
import registriesRoutes from '../modules/registries/registries.routes.js';
import searchRoutes from '../modules/search/search.routes.js';
import jobsRoutes from '../modules/jobs/jobs.routes.js';

export async function registerModules(app: App): Promise<void> {
  await app.register(notificationsHook); // first: the office header's unread count on every office page
  await app.register(notificationsRoutes);
  await app.register(suggestionsRoutes);
  await app.register(supervisionRoutes);
  await app.register(assessmentRoutes);
  await app.register(accountsRoutes);
  await app.register(agenciesRoutes);
  await app.register(auditRoutes);
  await app.register(dashboardRoutes);
  await app.register(disclosureRoutes);
  await app.register(portalRoutes);
  await app.register(requestsRoutes);
  await app.register(calendarRoutes);
  await app.register(reviewsRoutes);
  await app.register(searchRoutes);
  await app.register(registriesRoutes);
  await app.register(jobsRoutes);
  await app.register((await import('../modules/reports/reports.routes.js')).default);
  await app.register((await import('../modules/oversight/oversight.routes.js')).default);
}
