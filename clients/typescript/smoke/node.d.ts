// The two Node globals the smoke script uses (no @types/node dependency for two names).
declare const process: { argv: string[]; exit(code: number): never };
