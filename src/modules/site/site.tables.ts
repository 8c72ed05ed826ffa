/** The site's settings (the portal's identity: 主办单位, 网站标识码, ICP 备案号), a key–value table this module owns. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

declare module '../../db/schema.js' {
  interface Database {
    settings: SettingsTable;
  }
}
