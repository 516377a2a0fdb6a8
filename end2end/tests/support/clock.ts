import * as fs from 'fs';
import * as path from 'path';

/** The file the server reads how far the reminders' clock runs ahead from (seconds;
 * `REMINDERS_CLOCK_FILE`, dev only): a test moves time on for the scheduler alone. */
export const CLOCK_FILE = path.resolve(
  __dirname, '..', '..', '..', process.env.E2E_DB_DIR ?? '.tmp/e2e', 'clock-ahead-seconds');

/** Sets the reminders' clock `seconds` ahead (0: the real time). */
export function setClockAhead(seconds: number) {
  fs.writeFileSync(CLOCK_FILE, String(seconds));
}
