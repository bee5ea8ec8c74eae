/**
 * "Today" for the learner rules (a date of birth may not be in the future), as a calendar
 * day in the UK: the service's learners and awarding organisations are there, and a UTC
 * date would call a UK birthday "in the future" for the first hour of every summer day.
 */
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in London as YYYY-MM-DD. */
export function londonToday(now: Date = new Date()): string {
  return LONDON_DAY.format(now);
}
