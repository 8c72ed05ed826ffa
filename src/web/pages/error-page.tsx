import { OfficeLayout, PortalLayout } from '../../ui/layout.js';
import type { PageEnv } from '../../ui/env.js';

export function ErrorPage({ env, status, message, office }: { env: PageEnv; status: number; message: string; office: boolean }) {
  const title = status === 404 ? '页面不存在' : status === 403 ? '无权访问' : status >= 500 ? '系统错误' : '无法完成操作';
  const body = (
    <div class="panel">
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href={office ? '/office' : '/'}>返回首页</a>
      </p>
    </div>
  );
  return office ? <OfficeLayout title={title} env={env}>{body}</OfficeLayout> : <PortalLayout title={title} env={env}>{body}</PortalLayout>;
}
