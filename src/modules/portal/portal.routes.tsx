/** The public portal's home and agency directory (the disclosure capability fills in the catalogue). */
import type { App } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { PortalLayout } from '../../ui/layout.js';
import { listAgencies } from '../agencies/agencies.service.js';

export default async function portalRoutes(app: App) {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const agencies = await listAgencies(app.ctx);
    const env = pageEnv(req);
    return reply.page(
      <PortalLayout title="首页" env={env}>
        <h1 class="visually-hidden">{env.site.name}</h1>
        <section class="panel">
          <h2>政府信息公开机构</h2>
          {agencies.length === 0 ? (
            <p>尚未设立机构。</p>
          ) : (
            <ul class="list">
              {agencies.map((a) => (
                <li><a href={`/agencies/${encodeURIComponent(a.code)}`}>{a.name}</a></li>
              ))}
            </ul>
          )}
        </section>
      </PortalLayout>,
      { cache: 'public' },
    );
  });
}
