/**
 * Dates and numbers in the user's language and time zone (both from the bridge context), so a
 * release window reads the same in the panel as in Jira's own fields.
 */
export interface Formatter {
  date(value: Date | number | string): string;
  dateTime(value: Date | number | string): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(ratio: number, fractionDigits?: number): string;
}

function toDate(value: Date | number | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function safeTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

export function createFormatter(locale: string, timeZone?: string): Formatter {
  const tz = safeTimeZone(timeZone);
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: tz });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz });
  const invalid = '—';
  return {
    date: (v) => {
      const d = toDate(v);
      return Number.isNaN(d.getTime()) ? invalid : dateFmt.format(d);
    },
    dateTime: (v) => {
      const d = toDate(v);
      return Number.isNaN(d.getTime()) ? invalid : dateTimeFmt.format(d);
    },
    number: (v, options) => new Intl.NumberFormat(locale, options).format(v),
    percent: (ratio, fractionDigits = 0) =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: fractionDigits,
        maximumFractionDigits: fractionDigits,
      }).format(ratio),
  };
}
