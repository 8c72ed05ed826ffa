/** The office home (工作台): what needs the signed-in person's attention. Capabilities add panels. */
import { requireActor, type App } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { ROLE_LABELS } from '../context.js';

export default async function dashboardRoutes(app: App) {
  app.get('/office', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const env = pageEnv(req);
    return reply.page(
      <OfficeLayout title="工作台" env={env}>
        <h1>工作台</h1>
        <section class="panel">
          <h2>我的角色</h2>
          <ul>
            {actor.grants.map((g) => (
              <li>{g.agencyCode}：{ROLE_LABELS[g.role]}</li>
            ))}
          </ul>
        </section>
      </OfficeLayout>,
    );
  });
}
