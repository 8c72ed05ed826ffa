import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OUTCOME_KEYS } from '../law/report-model.js';
import { replyBasis } from '../law/letter-basis.js';
import { OUTCOMES } from '../law/outcomes.js';
import { perPageFee } from '../law/fees.js';
import type { LetterInput } from './letters-docx.js';
import { LETTER_TITLES, REMEDIES, SEAL_PLACEHOLDER, chineseDate, letterText, renderLetterDocx } from './letters-docx.js';
import { readZip, xmlText } from './zip-reader.js';

const base: Omit<LetterInput, 'kind'> = {
  agency: {
    name: '某市人民政府办公室',
    office: '某市人民政府办公室政府信息公开科',
    address: '某市人民大道1号',
    postcode: '150001',
    phone: '0451-12345678',
  },
  letterNo: '某政信公〔2025〕第12号',
  date: '2025-03-20',
  applicantName: '张三',
  subject: '2024年某街道老旧小区改造项目的立项批复',
  trackingNo: 'YSQ-2025-000123',
  receivedOn: '2025-03-03',
  dueOn: '2025-03-31',
};

async function docxTexts(letter: LetterInput): Promise<{ texts: string; xml: string }> {
  const zip = readZip(await renderLetterDocx(letter));
  assert.ok(zip.has('word/document.xml') && zip.has('[Content_Types].xml'));
  const xml = zip.get('word/document.xml')!.toString('utf8');
  return { texts: xmlText(xml).join('\n'), xml };
}

describe('letters', () => {
  it('申请登记回执', async () => {
    const letter: LetterInput = { ...base, kind: 'receipt', channel: 'online' };
    const text = letterText(letter);
    assert.ok(text.includes(LETTER_TITLES.receipt));
    assert.ok(text.includes('YSQ-2025-000123'));
    assert.ok(text.includes('20个工作日内'));
    assert.ok(text.includes('2025年3月31日前'));
    const { texts, xml } = await docxTexts(letter);
    assert.ok(texts.includes('某市人民政府办公室'));
    assert.ok(texts.includes('某政信公〔2025〕第12号'));
    assert.ok(texts.includes(LETTER_TITLES.receipt));
    assert.ok(texts.includes('张三：'));
    assert.ok(texts.includes(SEAL_PLACEHOLDER));
    assert.ok(texts.includes('2025年3月20日'));
    assert.match(xml, /<w:color w:val="C00000"\/>/, 'red agency mark');
    assert.match(xml, /<w:bottom w:val="single" w:color="C00000"/, 'red separator line');
  });

  it('补正申请告知书 lists the items and the period', async () => {
    const letter: LetterInput = { ...base, kind: 'correction', correctionItems: ['所需信息的文号', '所需信息的形成时间'], correctionDays: 10 };
    const { texts } = await docxTexts(letter);
    for (const s of [LETTER_TITLES.correction, '第三十条', '1.所需信息的文号', '2.所需信息的形成时间', '10个工作日内', '视为放弃申请'])
      assert.ok(texts.includes(s), s);
  });

  it('第三方意见征询函 is addressed to the third party, 15 working days, 第32条', async () => {
    const letter: LetterInput = { ...base, kind: 'consultation', thirdParty: '某建设工程有限公司', thirdPartyInterest: '商业秘密' };
    const text = letterText(letter);
    assert.ok(text.includes('某建设工程有限公司：'));
    assert.ok(!text.includes('张三'), 'the applicant is not named to the third party');
    assert.ok(text.includes('第三十二条') && text.includes('15个工作日内'));
    assert.ok((await docxTexts(letter)).texts.includes(LETTER_TITLES.consultation));
  });

  it('延期答复告知书 cites 第33条 and the new date', async () => {
    const letter: LetterInput = { ...base, kind: 'extension', extensionDays: 20, dueOn: '2025-04-29' };
    const text = letterText(letter);
    for (const s of [LETTER_TITLES.extension, '第三十三条第二款', '延长20个工作日', '2025年4月29日前']) assert.ok(text.includes(s), s);
    assert.ok((await docxTexts(letter)).texts.includes('延长20个工作日'));
  });

  it('信息处理费收费通知书: basis, amount, method, payment period', async () => {
    const letter: LetterInput = {
      ...base,
      kind: 'fee',
      fee: { method: 'per_page', amount: 1700, units: 150, paymentMethod: '通过非税收入缴款系统缴纳（缴款码：1234567890）', explanation: perPageFee(150).explanation },
    };
    const text = letterText(letter);
    for (const s of [LETTER_TITLES.fee, '国办函〔2020〕109号', '第四十二条第一款', '）第五条', '1,700元', '按量计收', '150页', '缴款码：1234567890', '20个工作日内缴纳', '如对本收费决定不服'])
      assert.ok(text.includes(s), s);
    // Amounts printed one way: no bare 4-digit yuan next to "1,700元".
    assert.doesNotMatch(text, /(?<![\d,])\d{4,}元/);
    assert.ok((await docxTexts(letter)).texts.includes(LETTER_TITLES.fee));
  });

  for (const key of OUTCOME_KEYS) {
    it(`reply: ${OUTCOMES[key].label}`, async () => {
      const letter: LetterInput = { ...base, kind: 'reply', outcome: key, reasons: '说明理由。', reconsiderationBody: '某市人民政府' };
      const text = letterText(letter);
      // Exactly its own provisions (src/law/letter-basis.ts, checked item by item against regulations.md):
      // every article the letter cites, and no other; none at all where the 条例 has none.
      const expected = replyBasis(key).map((p) => p.cite).filter(Boolean);
      const cited = [...text.matchAll(/第[一二三四五六七八九十]+条(?:第[一二三四五六七八九十]+款)?(?:第（[一二三四五六七八九十]+）项)?/g)].map((m) => m[0]);
      assert.deepEqual([...new Set(cited)], expected, `${key}: cites ${cited.join('、')}`);
      if (expected.length) assert.ok(text.includes(`《中华人民共和国政府信息公开条例》${expected[0]}`), key);
      assert.ok(text.includes('可以自收到本告知书之日起60日内向某市人民政府申请行政复议，或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼'));
      assert.ok(text.includes('2024年某街道老旧小区改造项目的立项批复'));
      const { texts } = await docxTexts(letter);
      assert.ok(texts.includes('告知书'));
      assert.ok(texts.includes('6个月内依法向人民法院提起行政诉讼'));
    });
  }

  it('予以公开 of published information cites 第（一）项; 不掌握 with a referral cites 第（五）项 and does not say 不存在', () => {
    const pub = letterText({ ...base, kind: 'reply', outcome: 'disclosed', alreadyPublic: true, deliveryMethod: '本机关门户网站' });
    assert.ok(pub.includes('第三十六条第（一）项') && !pub.includes('第（二）项'));
    const ref = letterText({ ...base, kind: 'reply', outcome: 'unavailable.not_held', referral: '某市自然资源局（电话：0451-1234）' });
    assert.ok(ref.includes('第三十六条第（五）项') && !ref.includes('第（四）项') && !ref.includes('不存在'));
    assert.ok(ref.includes('某市自然资源局'));
  });

  it('prints the remedies verbatim when no reconsideration body is named', () => {
    const text = letterText({ ...base, kind: 'reply', outcome: 'withheld.state_secret' });
    assert.ok(text.includes(REMEDIES));
    assert.ok(text.includes('政府信息不予公开告知书'));
    assert.ok(text.includes('国家秘密'));
  });

  it('formats dates the GB/T 9704 way', () => {
    assert.equal(chineseDate('2025-03-07'), '2025年3月7日');
  });
});
