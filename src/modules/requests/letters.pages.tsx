/** The applicant's letter as a page on the tracking link (render/letter-html.tsx), with its PDF and DOCX. */
import { LETTER_CSS, LetterArticle, letterHref } from '../../render/letter-html.js';
import type { LetterInput } from '../../render/letters.js';
import { letterContent } from '../../render/letters.js';
import { Breadcrumb } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { PortalLayout } from '../../ui/layout.js';

export function LetterPage({ env, input, back, base, query }: { env: PageEnv; input: LetterInput; back: string; base: string; query: string }) {
  const c = letterContent(input);
  return (
    <PortalLayout title={`${c.title}（${input.trackingNo}）`} env={env}>
      <style>{LETTER_CSS}</style>
      <div class="no-print">
        <Breadcrumb items={[{ label: '申请办理进度', href: back }, { label: c.title }]} />
        <p>
          下载：<a href={letterHref(base, input.kind, 'pdf', query)}>PDF 文件</a>　<a href={letterHref(base, input.kind, 'docx', query)}>DOCX 文件</a>
        </p>
      </div>
      <LetterArticle c={c} />
    </PortalLayout>
  );
}
