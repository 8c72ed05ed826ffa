/**
 * /office/calendar: the years the official calendar covers, the years counted provisionally, and loading a
 * new year's notice as data (admin) in two steps: 预览 (the requests whose limits would move) → 确认载入.
 */
import { Breadcrumb, Csrf, ErrorSummary, Field } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import type { MovedLimit, NoticeEffect } from '../requests/requests.service.js';

export const CALENDAR_EXAMPLE = JSON.stringify(
  { year: 2027, notice: '国务院办公厅关于2027年部分节假日安排的通知', holidays: ['2027-01-01', '2027-02-05..2027-02-11', '2027-10-01..2027-10-07'], workdays: ['2027-02-13'] },
  null,
  2,
);

const limitText = (due: string | null, provisional: boolean) => (due ? `${due}${provisional ? '（暂定）' : ''}` : '无法计算');

function MovedTable({ moved, caption }: { moved: MovedLimit[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead><tr><th scope="col">登记编号</th><th scope="col">机关</th><th scope="col">所需信息</th><th scope="col">原答复期限</th><th scope="col">新答复期限</th></tr></thead>
      <tbody>
        {moved.map((m) => (
          <tr>
            <td><a href={`/office/requests/${m.id}`}>{m.trackingNo}</a></td>
            <td>{m.agencyName}</td>
            <td>{m.subject}</td>
            <td>{limitText(m.from, m.wasProvisional)}</td>
            <td>{limitText(m.to, m.stillProvisional)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface CalendarPageProps {
  env: PageEnv;
  years: readonly number[];
  provisionalYears: readonly number[];
  notices: Record<number, string>;
  canLoad: boolean;
  value?: string;
  errors?: { field: string; message: string }[];
  /** Step 2: what loading `value` would change. */
  preview?: NoticeEffect;
  /** After loading: what moved. */
  loaded?: NoticeEffect;
}

export function CalendarPage({ env, years, provisionalYears, notices, canLoad, value, errors, preview, loaded }: CalendarPageProps) {
  const err = errors?.find((e) => e.field === 'data')?.message;
  const yearsOf = (e: NoticeEffect) => e.years.map((y) => y.year).join('、');
  return (
    <OfficeLayout title="节假日安排" env={env}>
      <Breadcrumb items={[{ label: '依申请公开', href: '/office/requests' }, { label: '节假日安排' }]} />
      <h1>节假日安排（工作日日历）</h1>
      {loaded ? (
        <section class="panel" role="status">
          <h2>已载入 {yearsOf(loaded)} 年节假日安排</h2>
          <p>重新计算了 {loaded.recomputed} 件申请，其中 {loaded.moved.length} 件的答复期限有变化{loaded.moved.length ? '（已记入审计日志）：' : '。'}</p>
          {loaded.moved.length ? <MovedTable moved={loaded.moved} caption="答复期限有变化的申请" /> : null}
        </section>
      ) : null}
      <section class="panel">
        <h2>已覆盖的年度</h2>
        <p>答复期限按工作日计算：周末和法定节假日不计，国务院办公厅通知的调休上班日计入。</p>
        <p>{years.length ? `${years[0]}–${years.at(-1)} 年` : '无'}（共 {years.length} 个年度）</p>
        <p>
          尚未载入通知的年度{provisionalYears.length ? `（${provisionalYears.join('、')} 年）` : ''}按双休日和《全国年节及纪念日放假办法》规定的法定节假日（元旦1天、春节4天、清明节1天、劳动节2天、端午节1天、中秋节1天、国庆节3天，逢周末补假）推算，
          答复期限标注“<strong>暂定</strong>”，各项办理操作照常进行；载入该年通知后自动重新计算，并列出期限有变化的申请。
        </p>
        {Object.keys(notices).length ? (
          <table>
            <thead><tr><th scope="col">年度</th><th scope="col">导入的通知</th></tr></thead>
            <tbody>{Object.entries(notices).map(([y, n]) => <tr><td>{y}</td><td>{n}</td></tr>)}</tbody>
          </table>
        ) : null}
      </section>
      {canLoad && preview ? (
        <section class="panel">
          <h2>预览：载入 {yearsOf(preview)} 年节假日安排</h2>
          <p>将重新计算 {preview.recomputed} 件申请，其中 <strong>{preview.moved.length}</strong> 件的答复期限会变化。</p>
          {preview.moved.length ? <MovedTable moved={preview.moved} caption="载入后答复期限会变化的申请" /> : null}
          <form method="post" action="/office/calendar">
            <Csrf token={env.csrfToken} />
            <input type="hidden" name="data" value={value ?? ''} />
            <input type="hidden" name="step" value="load" />
            <button type="submit">确认载入</button> <a href="/office/calendar">取消</a>
          </form>
        </section>
      ) : null}
      {canLoad ? (
        <section class="panel">
          <h2>导入年度节假日安排</h2>
          <ErrorSummary errors={errors} />
          <form method="post" action="/office/calendar" novalidate>
            <Csrf token={env.csrfToken} />
            <input type="hidden" name="step" value="preview" />
            <Field name="data" label="节假日安排（JSON）" required textarea rows={12} value={value ?? ''} error={err} hint={`格式示例：${CALENDAR_EXAMPLE.replace(/\s+/g, ' ')}（holidays 为放假日期或区间，workdays 为调休上班日）`} />
            <button type="submit">预览</button>
          </form>
        </section>
      ) : <p class="muted">导入节假日安排仅限系统管理员。</p>}
    </OfficeLayout>
  );
}
