/**
 * Date-time inputs (`<input type="datetime-local">`) in the user's Jira time zone rather than the browser's:
 * a wall time typed in the form is read in `timeZone`, and an instant is shown as that zone's wall time.
 */
const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

function parts(ms: number, timeZone: string | undefined): number[] {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const get = (type: string) => Number(fmt.formatToParts(new Date(ms)).find((p) => p.type === type)?.value ?? 0);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** The zone's offset from UTC at instant `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string | undefined): number {
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts(ms, timeZone);
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(ms / 1000) * 1000;
}

/** `2026-03-01T09:30` (or `2026-03-01`) read in `timeZone` → epoch ms; null when it is not a wall time. */
export function wallTimeToEpoch(value: string, timeZone: string | undefined): number | null {
  const m = WALL.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0'] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(asUtc)) return null;
  // Two passes settle the offset on either side of a daylight-saving change.
  let t = asUtc - offsetAt(asUtc, timeZone);
  t = asUtc - offsetAt(t, timeZone);
  return t;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms → the `datetime-local` value of that instant in `timeZone`. */
export function epochToWallTime(ms: number, timeZone: string | undefined): string {
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0] = parts(ms, timeZone);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}
