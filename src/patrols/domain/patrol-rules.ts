/**
 * 巡查时段 — which patrols an institution owes and how each one went. Pure: the caller passes the clock, the
 * policy's patrol values (checklists/safety-work-policy.yaml `patrols`) and the patrols on record.
 *
 * - 日巡查 (daily): one per Shanghai day, due by the end of the day.
 * - 夜间巡查 (night): every `nightIntervalHours` from `nightFromHour` to `nightToHour` (22:00, 00:00, 02:00, 04:00 by
 *   default); each slot is open until the next one, late when submitted more than `lateAfterMinutes` after its time.
 * - 月检查 (monthly): one per calendar month, due by its end.
 *
 * A slot can only be started while it is open (a patrol cannot be run afterwards for a time that has passed: that
 * would fake it); once started it may be submitted later, and is then flagged late. A slot that closed with no
 * patrol is missed; one started but never submitted is incomplete. Slots are counted from the day the institution
 * registered its first patrol point (its patrol schedule begins then), never before.
 */
export const PATROL_KINDS = ['daily', 'night', 'monthly'] as const;
export type PatrolKind = (typeof PATROL_KINDS)[number];

export const PATROL_AREAS = ['control_room', 'kitchen', 'floor_exit', 'gas_room', 'electrical', 'other'] as const;
export type PatrolArea = (typeof PATROL_AREAS)[number];

export const PATROL_RESULTS = ['pass', 'fail', 'na'] as const;
export type PatrolResult = (typeof PATROL_RESULTS)[number];

/** How a slot went: 已完成, 迟巡, 进行中, 未完成, 漏巡, 待巡查. */
export const SLOT_STATES = ['done', 'late', 'in_progress', 'incomplete', 'missed', 'open'] as const;
export type SlotState = (typeof SLOT_STATES)[number];

/** The self-inspection list each kind of patrol uses (rule files checklists/self-inspection-*.yaml). */
export const CHECKLIST_OF: Record<PatrolKind, 'self-inspection-daily' | 'self-inspection-monthly'> = {
  daily: 'self-inspection-daily', night: 'self-inspection-daily', monthly: 'self-inspection-monthly',
};

export interface PatrolTimes {
  nightIntervalHours: number;
  nightFromHour: number;
  nightToHour: number;
  lateAfterMinutes: number;
}

export interface Slot {
  kind: PatrolKind;
  /** the slot's time (a night slot's hour; a day's or a month's first instant, Shanghai) */
  at: Date;
  /** submitted after this: late */
  lateAt: Date;
  /** no patrol may be started from this instant on */
  closesAt: Date;
}

const HOUR = 3_600_000;
const SHANGHAI = 8 * HOUR; // China keeps UTC+8 all year

/** The instant of a Shanghai wall-clock date and hour. */
function shanghaiInstant(date: string, hour = 0): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI + hour * HOUR);
}

function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI).toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
}

function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function nextMonth(date: string): string {
  const [y, m] = date.slice(0, 7).split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** The night slots that start on the Shanghai evening of `date` (22:00 … 04:00 of the next morning by default). */
function nightSlots(date: string, t: PatrolTimes): Slot[] {
  const from = t.nightFromHour;
  const to = t.nightToHour <= from ? t.nightToHour + 24 : t.nightToHour;
  const end = shanghaiInstant(date, to);
  const slots: Slot[] = [];
  for (let h = from; h < to; h += t.nightIntervalHours) {
    const at = shanghaiInstant(date, h);
    const closesAt = new Date(Math.min(at.getTime() + t.nightIntervalHours * HOUR, end.getTime()));
    slots.push({ kind: 'night', at, lateAt: new Date(at.getTime() + t.lateAfterMinutes * 60_000), closesAt });
  }
  return slots;
}

function daySlot(date: string): Slot {
  const at = shanghaiInstant(date);
  const end = shanghaiInstant(nextDay(date));
  return { kind: 'daily', at, lateAt: end, closesAt: end };
}

function monthSlot(date: string): Slot {
  const at = shanghaiInstant(monthStart(date));
  const end = shanghaiInstant(nextMonth(date));
  return { kind: 'monthly', at, lateAt: end, closesAt: end };
}

/** Every slot of a kind that starts in [from, to), in time order. */
export function slotsBetween(kind: PatrolKind, from: Date, to: Date, t: PatrolTimes): Slot[] {
  const out: Slot[] = [];
  // the night of the day before `from` may still run into it
  let day = kind === 'monthly' ? monthStart(shanghaiDay(from)) : shanghaiDay(new Date(from.getTime() - 24 * HOUR));
  while (shanghaiInstant(day) < to) {
    const slots = kind === 'daily' ? [daySlot(day)] : kind === 'night' ? nightSlots(day, t) : [monthSlot(day)];
    for (const s of slots) if (s.at >= from && s.at < to) out.push(s);
    day = kind === 'monthly' ? nextMonth(day) : nextDay(day);
  }
  return out;
}

/** The slot of a kind open at `now` (null: none, e.g. a night patrol in the daytime). */
export function openSlot(kind: PatrolKind, now: Date, t: PatrolTimes): Slot | null {
  const candidates = kind === 'night'
    ? [...nightSlots(shanghaiDay(new Date(now.getTime() - 24 * HOUR)), t), ...nightSlots(shanghaiDay(now), t)]
    : [kind === 'daily' ? daySlot(shanghaiDay(now)) : monthSlot(shanghaiDay(now))];
  return candidates.find((s) => s.at <= now && now < s.closesAt) ?? null;
}

/** The slot a patrol of `kind` at `at` belongs to (its stored slot time), rebuilt with its deadlines. */
export function slotOf(kind: PatrolKind, at: Date, t: PatrolTimes): Slot {
  const found = slotsBetween(kind, at, new Date(at.getTime() + 1), t)[0];
  if (!found) throw new Error(`no ${kind} patrol slot at ${at.toISOString()}`);
  return found;
}

/** A submitted patrol is late when it was submitted after the slot's late time. */
export function isLate(slot: Slot, submittedAt: Date): boolean {
  return submittedAt > slot.lateAt;
}

export interface PatrolFact {
  kind: PatrolKind;
  slotAt: Date;
  status: 'in_progress' | 'submitted';
  late: boolean | null;
}

/** How one slot went, as of `now`. */
export function slotState(slot: Slot, patrol: PatrolFact | null, now: Date): SlotState {
  if (patrol?.status === 'submitted') return patrol.late ? 'late' : 'done';
  if (patrol) return now < slot.closesAt ? 'in_progress' : 'incomplete';
  return now < slot.closesAt ? 'open' : 'missed';
}

export interface SlotLine extends Slot {
  state: SlotState;
}

export interface PatrolSummary {
  /** slots that have closed in the window (what completion is measured over) */
  due: number;
  done: number;
  late: number;
  missed: number;
  incomplete: number;
  /** (done + late) / due, or null when nothing was due yet */
  completionRate: number | null;
}

/**
 * The slots of every kind from `from` (not before the schedule's start) to `now`, each with its state, and the
 * completion summary over the slots that have closed. `scheduleStart` null: no patrol point yet, nothing is owed.
 */
export function patrolLines(args: { from: Date; now: Date; scheduleStart: Date | null; patrols: PatrolFact[]; times: PatrolTimes; kinds?: readonly PatrolKind[] }): { lines: SlotLine[]; summary: PatrolSummary } {
  const { now, times } = args;
  if (!args.scheduleStart) return { lines: [], summary: { due: 0, done: 0, late: 0, missed: 0, incomplete: 0, completionRate: null } };
  const from = new Date(Math.max(args.from.getTime(), args.scheduleStart.getTime()));
  const byKey = new Map(args.patrols.map((p) => [`${p.kind}|${p.slotAt.getTime()}`, p]));
  const lines: SlotLine[] = [];
  for (const kind of args.kinds ?? PATROL_KINDS) {
    // a slot already running when the schedule began counts from its start only if a patrol was run for it
    const slots = slotsBetween(kind, kind === 'night' ? from : new Date(from.getTime() - 31 * 24 * HOUR), new Date(now.getTime() + 1), times)
      .filter((s) => s.closesAt > from || byKey.has(`${kind}|${s.at.getTime()}`));
    for (const s of slots) lines.push({ ...s, state: slotState(s, byKey.get(`${kind}|${s.at.getTime()}`) ?? null, now) });
  }
  lines.sort((a, b) => b.at.getTime() - a.at.getTime() || a.kind.localeCompare(b.kind));
  const closed = lines.filter((l) => l.closesAt <= now || l.state === 'done' || l.state === 'late');
  const count = (s: SlotState) => closed.filter((l) => l.state === s).length;
  const summary = { due: closed.length, done: count('done'), late: count('late'), missed: count('missed'), incomplete: count('incomplete'), completionRate: null as number | null };
  summary.completionRate = summary.due ? (summary.done + summary.late) / summary.due : null;
  return { lines, summary };
}

/** A short point code for manual entry (6 of A–Z and 2–9, no 0/O/1/I), from random bytes. */
export function pointCode(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(bytes.slice(0, 6), (b) => alphabet[b % alphabet.length]).join('');
}
