import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_WORD_RULES,
  applySuggestions,
  containsPersonalData,
  idCheckChar,
  idNumberBirthDate,
  isMobileNumber,
  isValidIdNumber,
  luhnValid,
  maskBankCard,
  maskEmail,
  maskIdNumber,
  maskName,
  maskPersonalData,
  maskPhone,
  screenText,
} from './screening.js';

// GB 11643-1999's own examples: 11010519491231002X and 440524188001010014.
const ID_A = '11010519491231002X';
const ID_B = '440524188001010014';

test('条例第15条 / GB 11643: ID checksum, area prefix and birth date', () => {
  assert.equal(idCheckChar('11010519491231002'), 'X');
  assert.equal(idCheckChar('44052418800101001'), '4');
  assert.equal(isValidIdNumber(ID_A), true);
  assert.equal(isValidIdNumber(ID_A.toLowerCase()), true);
  assert.equal(isValidIdNumber(ID_B), true);
  assert.equal(idNumberBirthDate(ID_A), '1949-12-31');
  assert.equal(isValidIdNumber('110105194912310021'), false); // wrong check digit
  // Checksum right but 1949-02-30 is no date: 11010519490230002 → compute its check char, still invalid.
  const badDate = '11010519490230002' + idCheckChar('11010519490230002');
  assert.equal(isValidIdNumber(badDate), false);
  // Area codes start 1–8.
  const badArea = '91010519491231002' + idCheckChar('91010519491231002');
  assert.equal(isValidIdNumber(badArea), false);
  // 15-digit old form: 6 area + YYMMDD + 3.
  assert.equal(isValidIdNumber('110105491231002', true), true);
  assert.equal(isValidIdNumber('110105491231002'), false);
  assert.equal(idNumberBirthDate('110105491231002'), '1949-12-31');
  assert.equal(idNumberBirthDate('110105491331002'), null);
});

test('masking helpers keep the length and never show the full number', () => {
  assert.equal(maskIdNumber(ID_A), '110***********002X');
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('138-1234-5678'), '138-****-5678');
  assert.equal(maskPhone('+86 13812345678'), '+86 138****5678');
  assert.equal(maskBankCard('6222020200112345679'), '6222***********5679');
  assert.equal(maskBankCard('6222 0202 0011 2345 679'), '6222 **** **** ***5 679');
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskName('欧阳娜娜'), '欧***');
  assert.equal(maskName('李'), '李');
  assert.equal(maskEmail('zhangsan@example.com'), 'z*******@example.com');
  assert.equal(maskIdNumber('１１０１０５１９４９１２３１００２Ｘ'), '１１０***********００２Ｘ');
});

test('条例第15条: an ID number in a text is found, masked in the hit, with position', () => {
  const text = `申请人张三，身份证号${ID_A}，住哈尔滨市。`;
  const hits = screenText(text);
  assert.equal(hits.length, 1);
  const h = hits[0]!;
  assert.equal(h.kind, 'id_number');
  assert.equal(text.slice(h.start, h.end), ID_A);
  assert.equal(h.match, '110***********002X');
  assert.equal(h.message, '疑似公民身份号码（校验码正确），公开前应删除或遮盖：110***********002X');
  assert.equal(h.excerpt, '申请人张三，身份证号110***********002X，住哈尔滨市。');
  for (const v of [h.match, h.excerpt, h.message]) assert.ok(!v.includes(ID_A));
});

test('条例第15条: mobile numbers, not inside longer digit runs', () => {
  const text = '联系电话13812345678；座机0451-86661234；编号2138123456789；+86 139-1234-5678。';
  const hits = screenText(text).filter((h) => h.kind === 'mobile_phone');
  assert.deepEqual(hits.map((h) => h.match), ['138****5678', '+86 139-****-5678']);
  assert.equal(isMobileNumber('13812345678'), true);
  assert.equal(isMobileNumber('12812345678'), false);
  assert.equal(isMobileNumber('1381234567'), false);
  assert.equal(screenText('订单号123138123456781').length, 0);
});

test('条例第15条: bank cards pass Luhn, are not inside longer runs and are not ID numbers', () => {
  assert.equal(luhnValid('4111111111111111'), true);
  assert.equal(luhnValid('6222020200112345679'), true);
  assert.equal(luhnValid('6222020200112345678'), false);
  const text = '收款账号6222020200112345679，另一卡号6217 0000 1000 0000 003，错号6222020200112345678。';
  const cards = screenText(text).filter((h) => h.kind === 'bank_card');
  assert.deepEqual(cards.map((h) => h.match), ['6222***********5679', '6217 **** **** ***0 003']);
  // An 18-digit run that is a valid ID number is reported as an ID only (ID_B also passes no Luhn check here).
  const idOnly = screenText(`号码${ID_A}`);
  assert.deepEqual(idOnly.map((h) => h.kind), ['id_number']);
  // 18 digits passing Luhn but with no valid birth date: a bank card.
  assert.deepEqual(screenText('卡号622848000000000007。').map((h) => h.kind), ['bank_card']);
  // Inside a longer run: nothing.
  assert.equal(screenText('流水号96222020200112345679').filter((h) => h.kind === 'bank_card').length, 0);
});

test('full-width digits are screened too', () => {
  const hits = screenText('电话：１３８１２３４５６７８');
  assert.equal(hits.length, 1);
  assert.equal(hits[0]!.match, '１３８****５６７８');
});

test('错敏词: default list, suggestions, custom lists', () => {
  const text = '其它事项请按排专人负责，台湾政府相关表述需修改。';
  const hits = screenText(text);
  assert.deepEqual(hits.map((h) => [h.kind, h.match, h.suggestion]), [
    ['wrong_word', '其它', '其他'],
    ['wrong_word', '按排', '安排'],
    ['sensitive_wording', '台湾政府', '台湾当局'],
  ]);
  assert.equal(hits[0]!.message, '“其它”应为“其他”（公文用“其他”）：其它');
  assert.equal(applySuggestions(text, hits), '其他事项请安排专人负责，台湾当局相关表述需修改。');
  // Custom list replaces the default; extraWords adds.
  assert.deepEqual(screenText('其它', { words: [] }), []);
  const extra = screenText('要认真贯切落实', { extraWords: [{ word: '贯切', suggestion: '贯彻' }] });
  assert.equal(extra[0]!.message, '“贯切”应为“贯彻”：贯切');
  // A longer listed word wins over a shorter one inside it.
  const nested = screenText('台湾政府', { words: [{ word: '政府', kind: 'sensitive_wording' }, ...DEFAULT_WORD_RULES] });
  assert.deepEqual(nested.map((h) => h.match), ['台湾政府']);
  // Every occurrence is found.
  assert.equal(screenText('其它、其它').length, 2);
});

test('options: kinds filter, 15-digit IDs off, context length', () => {
  const text = `其它：${ID_A}，13812345678，旧证110105491231002`;
  assert.deepEqual(screenText(text).map((h) => h.kind), ['wrong_word', 'id_number', 'mobile_phone', 'id_number']);
  assert.deepEqual(screenText(text, { kinds: ['mobile_phone'] }).map((h) => h.kind), ['mobile_phone']);
  assert.deepEqual(screenText(text, { oldIdNumbers: false }).map((h) => h.kind), ['wrong_word', 'id_number', 'mobile_phone']);
  const h = screenText(text, { contextChars: 2, kinds: ['mobile_phone'] })[0]!;
  assert.equal(h.excerpt, '…X，138****5678，旧…');
  // The excerpt of a word hit masks personal data nearby.
  const w = screenText(`其它${ID_A}`, { kinds: ['wrong_word'], contextChars: 30 })[0]!;
  assert.equal(w.excerpt, '其它110***********002X');
});

test('maskPersonalData and containsPersonalData', () => {
  assert.equal(maskPersonalData(`身份证${ID_A}，电话13812345678，卡6222020200112345679。`), '身份证110***********002X，电话138****5678，卡6222***********5679。');
  assert.equal(containsPersonalData('电话13812345678'), true);
  assert.equal(containsPersonalData('2025年第3号通知'), false);
  assert.equal(maskPersonalData('没有个人信息'), '没有个人信息');
});
