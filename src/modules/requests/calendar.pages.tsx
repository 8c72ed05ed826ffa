/** /office/calendar: the years the official calendar covers, and loading a new year's notice as data (admin). */
import { Breadcrumb, Csrf, ErrorSummary, Field } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';

export const CALENDAR_EXAMPLE = JSON.stringify(
  { year: 2027, notice: '国务院办公厅关于2027年部分节假日安排的通知', holidays: ['2027-01-01', '2027-02-05..2027-02-11', '2027-10-01..2027-10-07'], workdays: ['2027-02-13'] },
  null,
  2,
);

export function CalendarPage({ env, years, notices, canLoad, value, errors }: { env: PageEnv; years: readonly number[]; notices: Record<number, string>; canLoad: boolean; value?: string; errors?: { field: string; message: string }[] }) {
  const err = errors?.find((e) => e.field === 'data')?.message;
  return (
    <OfficeLayout title="节假日安排" env={env}>
      <Breadcrumb items={[{ label: '依申请公开', href: '/office/requests' }, { label: '节假日安排' }]} />
      <h1>节假日安排（工作日日历）</h1>
      <section class="panel">
        <h2>已覆盖的年度</h2>
        <p>答复期限按工作日计算：周末和法定节假日不计，国务院办公厅通知的调休上班日计入。未覆盖的年度不作推算：涉及该年度的申请会被标注“日历未覆盖”，导入该年度通知后自动重新计算。</p>
        <p>{years.length ? `${years[0]}–${years.at(-1)} 年` : '无'}（共 {years.length} 个年度）</p>
        {Object.keys(notices).length ? (
          <table>
            <thead><tr><th scope="col">年度</th><th scope="col">导入的通知</th></tr></thead>
            <tbody>{Object.entries(notices).map(([y, n]) => <tr><td>{y}</td><td>{n}</td></tr>)}</tbody>
          </table>
        ) : null}
      </section>
      {canLoad ? (
        <section class="panel">
          <h2>导入年度节假日安排</h2>
          <ErrorSummary errors={errors} />
          <form method="post" action="/office/calendar" novalidate>
            <Csrf token={env.csrfToken} />
            <Field name="data" label="节假日安排（JSON）" required textarea rows={12} value={value ?? ''} error={err} hint={`格式示例：${CALENDAR_EXAMPLE.replace(/\s+/g, ' ')}（holidays 为放假日期或区间，workdays 为调休上班日）`} />
            <button type="submit">导入</button>
          </form>
        </section>
      ) : <p class="muted">导入节假日安排仅限系统管理员。</p>}
    </OfficeLayout>
  );
}
