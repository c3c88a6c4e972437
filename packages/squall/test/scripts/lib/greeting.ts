import pc from 'picocolors';

/** A helper module imported relatively by imports.ts, itself importing an npm package. */
export function greeting(name: string): string {
  return pc.bold(`hello ${name}`).length > 0 ? `hello ${name}` : '';
}
