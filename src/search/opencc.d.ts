/** opencc-js ships its dictionaries as ES modules of one string each ("trad simp|trad simp|…"), untyped. */
declare module 'opencc-js/dict/*' {
  const data: string;
  export default data;
}
