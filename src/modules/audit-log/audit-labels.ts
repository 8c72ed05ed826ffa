/**
 * What the audit log's entries say to a reader: the stored action keys (`item.publish`, `request.reply`…) and
 * actor names (`system:demo`, `public:portal`) in Chinese. The keys stay as stored (the chain hashes them).
 */
const ENTITY: Record<string, string> = {
  agency: '机构', calendar: '节假日', category: '目录栏目', enforcement_decision: '执法决定', fee_collection: '收费', guide: '公开指南',
  item: '主动公开信息', new_media_post: '政务新媒体', normative_document: '规范性文件', report: '年度报告', request: '依申请公开',
  review: '复议诉讼', review_case: '复议诉讼', screening_word: '错敏词', site: '网站', supervision: '督办', user: '账号', token: '接口令牌',
  session: '会话', letter: '文书', notify: '提醒', registry: '登记簿', decision: '执法决定', document: '规范性文件', fee: '收费',
  new_media: '政务新媒体',
};

const VERB: Record<string, string> = {
  create: '新建', update: '修改', delete: '删除', remove: '删除', add: '登记', attach: '上传附件', detach: '删除附件',
  confidentiality_review: '保密审查', from_requests: '依申请转主动', import: '批量导入', publish: '发布', return: '退回',
  review: '审核', screen: '筛查', screen_override: '筛查放行', submit: '提交审核', validity: '变更有效性', withdraw: '撤回',
  number: '编发文号', settings: '修改提醒设置', build: '生成', edit: '编辑', unlock: '解锁', assign: '指定承办人',
  file_added: '上传答复附件', recompute: '重新计算期限', reopen: '重新办理', grant: '授权', locked: '锁定', login: '登录',
  password: '修改密码', sessions_revoked: '注销全部会话', identity: '设置网站标识', load_year: '载入年度节假日',
  answer: '答复督办', open: '发起督办', receive: '登记收到申请', reply: '答复', extend: '延长答复期限', deliver: '送达文书',
  note: '备注', split: '拆分计件', notify_fee: '发出收费通知', receive_correction: '收到补正', receive_payment: '收到缴费', request_correction: '告知补正',
  start_consultation: '征求第三方意见', end_consultation: '征求意见结束', transfer: '转送', submit_request: '提交申请',
};

export function auditActionLabel(action: string, entity: string): string {
  const parts = action.split('.');
  const verb = VERB[parts[parts.length - 1]!];
  const ent = (parts.length > 1 ? ENTITY[parts[0]!] : undefined) ?? ENTITY[entity] ?? '';
  return verb ? `${ent}${verb}` : `${ent}其他操作`;
}

export function auditEntityLabel(entity: string): string {
  return ENTITY[entity] ?? '其他';
}

const SYSTEM_NAMES: Record<string, string> = { demo: '演示数据', cli: '命令行', test: '测试', jobs: '定时任务', import: '批量导入', portal: '门户' };

export function auditActorLabel(name: string): string {
  const m = /^(system|public):(.*)$/.exec(name);
  if (!m) return name;
  const who = SYSTEM_NAMES[m[2]!] ?? (/^[\x00-\x7f]*$/.test(m[2]!) ? '' : m[2]!);
  return m[1] === 'system' ? `系统${who ? `（${who}）` : ''}` : `公众${who ? `（${who}）` : ''}`;
}
