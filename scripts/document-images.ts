/**
 * Page images of one report and three letters as LibreOffice lays out our DOCX (docs/documents/*.png), so a
 * reader can see the 公文 layout without installing anything. Run: npx tsx scripts/document-images.ts
 * (needs LibreOffice and poppler-utils).
 */
import { writeFileSync } from 'node:fs';
import { perPageFee } from '../src/law/fees.js';
import type { LetterInput } from '../src/render/letters.js';
import { renderLetterDocx } from '../src/render/letters-docx.js';
import { convertToPdf, pdfPagePng } from '../src/render/office-harness.js';
import { renderReportDocx } from '../src/render/report-docx.js';
import { sampleReport } from '../src/render/sample-report.js';

const out = new URL('../docs/documents/', import.meta.url).pathname;
const base: Omit<LetterInput, 'kind' | 'letterNo'> = {
  agency: { name: '哈尔滨市文化广电和旅游局', office: '哈尔滨市文化广电和旅游局办公室', address: '哈尔滨市松北区世纪大道1号', postcode: '150021', phone: '0451-12345678' },
  date: '2026-03-20',
  applicantName: '张三',
  subject: '2025年松北区文化惠民演出项目的政府采购合同及验收报告',
  trackingNo: 'YSQ2026001000123',
  receivedOn: '2026-03-03',
  dueOn: '2026-03-31',
  channel: 'online',
  reconsiderationBody: '哈尔滨市人民政府',
};
const report = sampleReport(21);
report.narrative.overview = [
  '2025年，哈尔滨市司法局深入贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，依法依规做好主动公开、依申请公开、政府信息管理、平台建设和监督保障等各项工作。',
  '（一）主动公开情况',
  '2025年，全年主动公开政府信息共1,204条，其中通过门户网站主动公开政府信息986条，通过政务新媒体发布信息218条。',
  '（二）依申请公开情况',
  '2025年，本机关新收政府信息公开申请97件，上年结转2件，年末结转下年度继续办理3件。',
].join('\n');
const files = convertToPdf({
  'report.docx': await renderReportDocx(report, { dateLine: '2026年1月20日' }),
  'letter-receipt.docx': await renderLetterDocx({ ...base, kind: 'receipt', letterNo: '哈文旅依申登〔2026〕12号', date: '2026-03-03' }),
  'letter-reply-not-held.docx': await renderLetterDocx({ ...base, kind: 'reply', outcome: 'unavailable.not_held', letterNo: '哈文旅依申复〔2026〕7号' }),
  'letter-fee.docx': await renderLetterDocx({
    ...base,
    kind: 'fee',
    letterNo: '哈文旅依申费〔2026〕2号',
    fee: { method: 'per_page', amount: 1700, units: 150, paymentMethod: '通过政府非税收入缴款系统缴纳（缴款码：1234567890）', explanation: perPageFee(150).explanation },
  }),
});
for (const [name, { pdf, pages }] of Object.entries(files)) {
  const stem = name.replace(/\.docx$/, '');
  const wanted = stem === 'report' ? [1, 2, 3] : pages.map((_, i) => i + 1);
  for (const p of wanted) writeFileSync(`${out}${stem}-p${p}.png`, pdfPagePng(pdf, p, 50));
  console.log(`${stem}: ${pages.length} page(s)`);
}
