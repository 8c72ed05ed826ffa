import type { FastifyRequest } from 'fastify';
import { siteIdentity } from '../modules/site/site.service.js';
import type { PageEnv } from '../ui/env.js';

export function pageEnv(req: FastifyRequest): PageEnv {
  const notice = (req.query as Record<string, unknown> | undefined)?.notice;
  return {
    site: siteIdentity(req.server.ctx.db, req.server.config.site),
    path: req.url.split('?')[0] ?? '/',
    largeText: req.largeText,
    actor: req.actor,
    csrfToken: req.csrfToken,
    notice: typeof notice === 'string' ? notice.slice(0, 200) : undefined,
    unread: req.unreadNotifications,
    replicaLagSeconds: req.replicaLagSeconds ?? undefined,
  };
}
