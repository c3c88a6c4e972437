/** squall's version, as in packages/squall/package.json. */
export const SQUALL_VERSION = '0.1.0';
