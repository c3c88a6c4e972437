// Lets editors type-check example scripts: __ENV is provided by squall at run time.
declare const __ENV: Record<string, string | undefined>;
