/**
 * Reply letters and notices as PDF (pdfkit), laid out like the DOCX (letters-docx.ts) on the 公文 page: the
 * red 发文机关标志, the 发文字号 over the red separator line, the title, the body in 3号 with a two-character
 * indent, the 落款 on the page of the last paragraph (GB/T 9704 7.3.5) and the contact as 附注 (7.3.6). For
 * citizens on a phone, who cannot open a DOCX easily.
 */
import type { LetterInput } from './letters.js';
import { letterContent } from './letters.js';
import { MM, PT, createGongwenPdf, finishPdf } from './report-pdf.js';

const RED = '#C00000';
/** 22 lines in the 225 mm type area. */
const LINE = (225 * MM) / 22;
const BODY_GAP = LINE - PT.san * 1.3;

export async function renderLetterPdf(letter: LetterInput): Promise<Buffer> {
  const c = letterContent(letter);
  const doc = createGongwenPdf({ title: `${c.title}（${c.letterNo}）`, author: c.signature, subject: c.title });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  doc.font('cjk-bold').fontSize(PT.er + 4).fillColor(RED).text(c.agencyMark, { align: 'center', width });
  doc.moveDown(0.6);
  doc.font('cjk').fontSize(PT.san).fillColor('black').text(c.letterNo, { align: 'center', width });
  const lineY = doc.y + 4;
  doc.moveTo(left, lineY).lineTo(left + width, lineY).lineWidth(1).strokeColor(RED).stroke();
  doc.y = lineY + LINE;
  doc.font('cjk-bold').fontSize(PT.er).text(c.title, left, doc.y, { align: 'center', width });
  doc.moveDown(0.8);

  const bodyOpts = { indent: PT.san * 2, lineGap: BODY_GAP, width, align: 'justify' as const };
  doc.font('cjk').fontSize(PT.san).text(c.addressee, left, doc.y, { lineGap: BODY_GAP, width });
  const last = c.paragraphs.length - 1;
  c.paragraphs.forEach((p, i) => {
    if (i === last) {
      // The last paragraph goes with the 落款 (three lines after a blank one) and the 附注.
      const need = doc.heightOfString(p, bodyOpts) + LINE * 4 + doc.heightOfString(`（${c.contact.join('；')}）`, bodyOpts);
      if (doc.y + need > bottom()) doc.addPage();
    }
    doc.text(p, left, doc.y, bodyOpts);
  });
  doc.moveDown(1);
  const right = { width: width - PT.san * 4, align: 'right' as const, lineGap: BODY_GAP };
  doc.text(c.signature, left, doc.y, right);
  doc.text(c.seal, left, doc.y, right);
  doc.text(c.date, left, doc.y, right);
  doc.text(`（${c.contact.join('；')}）`, left, doc.y, bodyOpts);
  return finishPdf(doc);
}
