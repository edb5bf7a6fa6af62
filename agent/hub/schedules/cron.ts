/** Cron expressions and time zones as node-cron reads them, checked with a sentence per problem. */
import cron from 'node-cron';

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with `expression` in `timeZone` (empty when node-cron can run it). */
export function checkCron(expression: string, timeZone: string): string[] {
  const problems: string[] = [];
  const v = cron.validateDetailed(expression);
  if (!v.valid) {
    const why = v.errors.map((e) => `${e.field}${e.value !== undefined ? ` '${e.value}'` : ''}: ${e.message}`).join(', ');
    problems.push(`'${expression}' is not a valid cron expression${why ? ` (${why})` : ''}`);
  }
  if (!isTimeZone(timeZone)) problems.push(`'${timeZone}' is not a time zone (use an IANA name such as Europe/Berlin or UTC)`);
  return problems;
}
