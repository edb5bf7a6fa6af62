/** The product version, set by the bundler from package.json ("dev" when run from source). */
declare const __UC_VERSION__: string | undefined;
export const VERSION: string = typeof __UC_VERSION__ === 'string' ? __UC_VERSION__ : 'dev';
