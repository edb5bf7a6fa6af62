/**
 * The V8 flags that turn off the optimizing compilers. V8 prints an error for a flag it does not
 * know, so the names follow its version: --opt up to V8 10 (Node 18), --turbofan and --maglev
 * from V8 11.
 */
export function optimizerOffFlags(v8Version: string): string {
  return Number(v8Version.split('.')[0]) >= 11 ? '--no-turbofan --no-maglev' : '--no-opt';
}
