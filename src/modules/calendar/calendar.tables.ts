/** The table the calendar module owns: each year's holiday arrangement as loaded (国务院办公厅 notice). */
export interface CalendarYearsTable {
  year: number;
  notice: string | null;
  data: string;
  loaded_at: string;
}

declare module '../../db/schema.js' {
  interface Database {
    calendar_years: CalendarYearsTable;
  }
}
