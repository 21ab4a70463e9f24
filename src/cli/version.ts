/** Replaced with package.json's version when tsup builds the CLI (tsup.cli.config.ts). */
declare const PACKAGE_VERSION: string;

export const VERSION: string = PACKAGE_VERSION;
