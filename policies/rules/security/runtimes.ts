/**
 * Lambda runtimes and the day AWS deprecates each (no more security patches; creating functions
 * is blocked soon after), from https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html.
 * `lambda-runtime-supported` refuses a runtime past its date and one missing here: add a runtime
 * with its date from that page.
 */
export const RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  'python3.12': '2028-10-31',
  'python3.13': '2029-06-30',
  'python3.14': '2029-06-30',
  java17: '2026-06-30',
  java21: '2029-06-30',
  'provided.al2': '2026-06-30',
  'provided.al2023': '2029-06-30',
};
