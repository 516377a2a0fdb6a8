// Dates and times as the server counts them: China time (UTC+8), whatever this machine's zone.
const CHINA_OFFSET_MS = 8 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');

function china(msFromNow: number): Date {
  // A Date whose UTC fields read as China's wall clock.
  return new Date(Date.now() + msFromNow + CHINA_OFFSET_MS);
}

/** China date `days` from today, as YYYY-MM-DD. */
export function chinaDate(days = 0): string {
  const d = china(days * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** China date and time `hours` from now, as a datetime-local field takes it. */
export function chinaDateTime(hours: number): string {
  const d = china(hours * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
