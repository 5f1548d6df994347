// A five-field cron parser (minute hour day-of-month month day-of-week) with `*`, lists,
// ranges, steps and the @hourly/@daily/... shorthands: enough to fire CronJobs on the sim clock.

const shorthands: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

function field(text: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      lo = Number(a);
      hi = b !== undefined ? Number(b) : stepText ? max : lo;
    }
    if (![lo, hi, step].every(Number.isInteger) || lo < min || hi > max || step < 1)
      throw new RangeError(`invalid cron field: ${text}`);
    for (let v = lo; v <= hi; v += step) out.add(v === 7 && max === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(spec: string): CronSchedule {
  const fields = (shorthands[spec.trim()] ?? spec).trim().split(/\s+/);
  if (fields.length !== 5) throw new RangeError(`expected exactly 5 fields, found ${fields.length}: ${spec}`);
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  return {
    minutes: field(m, 0, 59),
    hours: field(h, 0, 23),
    days: field(dom, 1, 31),
    months: field(mon, 1, 12),
    weekdays: field(dow, 0, 7),
    dayRestricted: dom !== '*',
    weekdayRestricted: dow !== '*',
  };
}

/** The first scheduled minute strictly after `after` (UTC), searching up to a year ahead. */
export function nextRun(schedule: CronSchedule, after: number): number | undefined {
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  const limit = after + 366 * 24 * 3600_000;
  while (t <= limit) {
    const d = new Date(t);
    if (!schedule.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    const domOk = schedule.days.has(d.getUTCDate());
    const dowOk = schedule.weekdays.has(d.getUTCDay());
    // Cron's rule: when both day fields are restricted, either may match.
    const dayOk = schedule.dayRestricted && schedule.weekdayRestricted ? domOk || dowOk : domOk && dowOk;
    if (!dayOk) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!schedule.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (schedule.minutes.has(d.getUTCMinutes())) return t;
    t += 60_000;
  }
  return undefined;
}
