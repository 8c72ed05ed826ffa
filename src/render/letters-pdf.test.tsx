/** Letters as PDF (for phones) and HTML: the same content as the DOCX, the 落款 on the page of the last paragraph. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { render } from 'preact-render-to-string';
import { OUTCOME_KEYS } from '../law/report-model.js';
import { LetterArticle, LetterLinks, letterHref } from './letter-html.js';
import type { LetterInput } from './letters.js';
import { letterContent } from './letters.js';
import { renderLetterPdf } from './letters-pdf.js';

const base: Omit<LetterInput, 'kind'> = {
  agency: { name: '哈尔滨市文化广电和旅游局', office: '哈尔滨市文化广电和旅游局办公室', address: '哈尔滨市松北区世纪大道1号', postcode: '150021', phone: '0451-12345678' },
  letterNo: '哈文旅依申复〔2026〕7号',
  date: '2026-03-20',
  applicantName: '张三',
  subject: '2025年松北区文化惠民演出项目的政府采购合同',
  trackingNo: 'YSQ2026001000123',
  receivedOn: '2026-03-03',
  reconsiderationBody: '哈尔滨市人民政府',
};

async function pdfPages(buf: Buffer): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(buf), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const tc = await (await pdf.getPage(p)).getTextContent();
    pages.push((tc.items as { str?: string }[]).map((i) => i.str ?? '').join(''));
  }
  await pdf.destroy();
  return pages;
}

describe('letters as PDF', () => {
  it('holds the letter: mark, 文号, title, exact citation, remedy, 落款 with the last paragraph', async () => {
    const letter: LetterInput = { ...base, kind: 'reply', outcome: 'unavailable.not_held' };
    const pages = await pdfPages(await renderLetterPdf(letter));
    const all = pages.join('');
    for (const s of ['哈尔滨市文化广电和旅游局', '哈文旅依申复〔2026〕7号', '政府信息无法提供告知书', '第三十六条第（四）项', '向哈尔滨市人民政府申请行政复议', '2026年3月20日', '联系电话：0451-12345678'])
      assert.ok(all.includes(s), s);
    const signed = pages.find((p) => p.includes('2026年3月20日'))!;
    assert.ok(signed.includes('特此告知。'), 'the 落款 page has the last paragraph');
  });

  it('a long letter keeps the 落款 with its last paragraph on a later page', async () => {
    const long = '申请人所述情况较为复杂，本机关逐项进行了检索和核实。'.repeat(30);
    const pages = await pdfPages(await renderLetterPdf({ ...base, kind: 'reply', outcome: 'withheld.state_secret', reasons: long }));
    assert.ok(pages.length >= 2);
    const signed = pages.find((p) => p.includes('2026年3月20日'))!;
    assert.ok(signed.includes('特此告知。'));
  });

  it('every outcome renders', async () => {
    for (const key of OUTCOME_KEYS.slice(0, 21)) {
      const buf = await renderLetterPdf({ ...base, kind: 'reply', outcome: key });
      assert.equal(buf.subarray(0, 5).toString(), '%PDF-', key);
    }
  });
});

describe('letters as HTML', () => {
  it('renders the content escaped, with links to the three forms', () => {
    const c = letterContent({ ...base, kind: 'reply', outcome: 'disclosed', deliveryMethod: '<script>x</script>' });
    const html = render(<LetterArticle c={c} />);
    assert.match(html, /<h1 class="letter-title">政府信息予以公开告知书<\/h1>/);
    assert.ok(html.includes('&lt;script>') || html.includes('&lt;script&gt;'));
    assert.ok(!html.includes('<script>'));
    const links = render(<LetterLinks base="/track/YSQ1/letters" kind="reply" label="答复告知书" query="?key=k" />);
    for (const href of ['/track/YSQ1/letters/reply?key=k', '/track/YSQ1/letters/reply.pdf?key=k', '/track/YSQ1/letters/reply.docx?key=k']) assert.ok(links.includes(`href="${href}"`), href);
    assert.equal(letterHref('/x', 'fee', 'pdf'), '/x/fee.pdf');
  });
});
