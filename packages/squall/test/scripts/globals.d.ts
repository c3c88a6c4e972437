declare const __ENV: Record<string, string | undefined>;
