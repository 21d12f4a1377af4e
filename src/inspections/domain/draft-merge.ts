/**
 * 团队草稿合并: how the answers of two or three inspectors on one inspection meet on the server — item by item,
 * never document by document. Each item keeps its current answer with who gave it, when, and a revision; a device
 * sends only the items it changed since the revision it last saw (its base). No framework import: unit-tested in
 * draft-merge.spec.ts.
 *
 * The rules, per changed item:
 * - nobody answered it yet, or the device saw the current revision (base = rev): the change is written;
 * - the current answer is the same person's own (another device, a lost acknowledgement): the later edit wins;
 * - another person answered it meanwhile with the same answer (result, and for 不合格 the grade): no conflict —
 *   the details are merged (the later one's fields, both notes and locations, the photos of both);
 * - another person answered it meanwhile with a different answer: a conflict (冲突) keeping both answers with
 *   who/when, until a person chooses one (`resolveConflict`). The item keeps its first answer meanwhile.
 * An item with an open conflict takes each person's new answer as that person's side; when every side agrees,
 * the conflict dissolves by itself ('agreed').
 */

/** inspection_draft_conflict.status: open until a person chooses ('resolved') or every side came to agree ('agreed'). */
export const DRAFT_CONFLICT_STATUSES = ['open', 'resolved', 'agreed'] as const;
export type DraftConflictStatus = (typeof DRAFT_CONFLICT_STATUSES)[number];

/** One item's answer as the form keeps it (result, note, location, photos …); opaque apart from the fields named here. */
export interface DraftAnswer {
  result?: 'pass' | 'fail' | 'na' | null;
  severity?: 'general' | 'major' | null;
  suspectedMajor?: boolean;
  photos?: { key?: string; evidenceId?: string | null }[];
  [field: string]: unknown;
}

/** The free-text fields of an answer that two people's details are joined in. */
export const TEXT_FIELDS = [['note', '；', 2000], ['location', '、', 200], ['suspectedReason', '；', 1000]] as const;
export type TextField = (typeof TEXT_FIELDS)[number][0];
/** What one person last wrote into an item's text fields (so his later edit replaces his own words, never appends). */
export type OwnTexts = Partial<Record<TextField, string>>;

/** At most this many photos per answer (what a submitted response may carry), and trail steps kept (as the form does). */
export const MERGED_PHOTOS_MAX = 20;
export const MERGED_TRAIL_MAX = 20;

/**
 * The server's current answer to one item. `by` null: carried over from a single-document draft of the previous
 * release. `own`: per person, the texts he last wrote into it (server-side only; never sent to devices).
 */
export interface ItemVersion {
  answer: DraftAnswer;
  by: string | null;
  at: string;
  rev: number;
  own?: Record<string, OwnTexts>;
}

/** One person's answer in a conflict. */
export interface ConflictSide {
  by: string | null;
  at: string;
  answer: DraftAnswer;
}

export interface OpenConflict {
  id: string;
  itemCode: string;
  sides: ConflictSide[];
}

/**
 * A changed item sent by a device. `baseRev`: the item's revision the device last saw (0: none);
 * null: unknown (a whole-document draft of the previous release).
 */
export interface ItemChange {
  itemCode: string;
  answer: DraftAnswer;
  baseRev: number | null;
  at: string;
}

export interface MergeOutcome {
  /** Items whose current answer changes (new revision). */
  writes: Map<string, ItemVersion>;
  /** Conflicts to open (no id) or whose sides changed (id). */
  conflicts: Map<string, { id?: string; sides: ConflictSide[] }>;
  /** Open conflicts every side now agrees on. */
  agreed: { id: string; itemCode: string }[];
  /** Changes that changed nothing: the same answer again, or older than the person's own current one. */
  ignored: { itemCode: string; reason: 'same' | 'older' }[];
}

/** What makes two answers "the same answer": the result, and for 不合格 the grade (or 疑似重大). */
export function answerKey(a: DraftAnswer | null | undefined): string {
  if (!a || !a.result) return '';
  if (a.result !== 'fail') return a.result;
  return 'fail/' + (a.suspectedMajor ? 'suspected' : a.severity === 'major' ? 'major' : 'general');
}

/** Two answers that say the same (so no person needs to choose). */
export function sameAnswer(a: DraftAnswer | null | undefined, b: DraftAnswer | null | undefined): boolean {
  return answerKey(a) === answerKey(b);
}

/** Identical in every field (key order ignored). */
export function identical(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
  }
  return JSON.stringify(v ?? null);
}

function photoId(p: { key?: string; evidenceId?: string | null }): string {
  return p.evidenceId ? 'e:' + p.evidenceId : 'k:' + (p.key ?? '');
}

/** The texts a person wrote into an answer. */
export function textsOf(a: DraftAnswer): OwnTexts {
  const out: OwnTexts = {};
  for (const [field] of TEXT_FIELDS) {
    const t = typeof a[field] === 'string' ? (a[field] as string).trim() : '';
    if (t) out[field] = t;
  }
  return out;
}

type TrailStep = { at: string; f: string; [k: string]: unknown };

/** Both trails, each step once (by time and field), in time order; at most MERGED_TRAIL_MAX, the first and the latest kept. */
export function mergeTrails(a: unknown, b: unknown): TrailStep[] | undefined {
  const steps = [...(Array.isArray(a) ? a : []), ...(Array.isArray(b) ? b : [])]
    .filter((s): s is TrailStep => !!s && typeof s === 'object' && typeof (s as TrailStep).at === 'string' && typeof (s as TrailStep).f === 'string');
  if (!steps.length) return Array.isArray(a) || Array.isArray(b) ? [] : undefined;
  const seen = new Set<string>();
  const out = steps.filter((s) => {
    const id = (Number.isFinite(Date.parse(s.at)) ? new Date(s.at).toISOString() : s.at) + '|' + s.f;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  }).sort((p, q) => Date.parse(p.at) - Date.parse(q.at));
  return out.length > MERGED_TRAIL_MAX ? [out[0], ...out.slice(out.length - MERGED_TRAIL_MAX + 1)] : out;
}

/** `text` without the segment `part` (and one separator beside it). */
function withoutSegment(text: string, part: string, sep: string): string {
  for (const cut of [sep + part, part + sep, part]) {
    const i = text.indexOf(cut);
    if (i >= 0) return (text.slice(0, i) + text.slice(i + cut.length)).trim();
  }
  return text;
}

/**
 * The same answer from two people: the later one's fields, the photos of both (each once), both trails, both
 * texts. `own`: the change's author — which side is his (`side`) and what he last wrote into the item before
 * (`texts`): where the other side still holds his earlier words, his new words replace them instead of being
 * appended ("x；y" edited by the author of x to x2 becomes "x2；y", not "x；y；x2").
 */
export function mergeDetails(earlier: DraftAnswer, later: DraftAnswer, own?: { side: 'earlier' | 'later'; texts: OwnTexts | undefined }): DraftAnswer {
  const photos = [...(later.photos ?? [])];
  const seen = new Set(photos.map(photoId));
  const keys = new Set(photos.map((p) => p.key).filter(Boolean));
  for (const p of earlier.photos ?? []) {
    if (seen.has(photoId(p)) || (p.key && keys.has(p.key))) continue;
    photos.push(p);
    seen.add(photoId(p));
  }
  const out: DraftAnswer = { ...earlier, ...later, photos: photos.slice(0, MERGED_PHOTOS_MAX) };
  const trail = mergeTrails(earlier.trail, later.trail);
  if (trail) out.trail = trail;
  if (!later.result && earlier.result) out.result = earlier.result; // a details-only change keeps the result
  // Two people's texts on one finding are both kept (neither note is lost): the earlier first.
  for (const [field, sep, max] of TEXT_FIELDS) {
    const a = typeof earlier[field] === 'string' ? (earlier[field] as string).trim() : '';
    const b = typeof later[field] === 'string' ? (later[field] as string).trim() : '';
    const before = own?.texts?.[field];
    if (own && before) {
      const mine = own.side === 'later' ? b : a;
      const theirs = own.side === 'later' ? a : b;
      if (before !== mine && theirs.includes(before)) {
        // The other side holds the author's earlier words: his new words take their place.
        out[field] = mine ? theirs.replace(before, mine) : withoutSegment(theirs, before, sep);
        continue;
      }
    }
    if (a && b && a !== b && !b.includes(a) && !a.includes(b)) out[field] = a.length + sep.length + b.length <= max ? a + sep + b : later[field];
    else if (a && (!b || a.includes(b))) out[field] = earlier[field];
  }
  return out;
}

const later = (a: string, b: string) => Date.parse(a) >= Date.parse(b);

/** Merges one device's changed items into the current answers. Pure: the caller writes the outcome. */
export function mergeDraftItems(
  current: ReadonlyMap<string, ItemVersion>,
  open: ReadonlyMap<string, OpenConflict>,
  changes: readonly ItemChange[],
  author: string,
): MergeOutcome {
  const out: MergeOutcome = { writes: new Map(), conflicts: new Map(), agreed: [], ignored: [] };
  const cur = new Map(current);
  const conflicts = new Map<string, { id?: string; sides: ConflictSide[] }>([...open].map(([code, c]) => [code, { id: c.id, sides: c.sides }]));
  const write = (code: string, answer: DraftAnswer, by: string | null, at: string, texts: OwnTexts) => {
    const prev = cur.get(code);
    const v: ItemVersion = { answer, by, at, rev: (prev?.rev ?? 0) + 1, own: { ...prev?.own, [author]: texts } };
    cur.set(code, v);
    out.writes.set(code, v);
  };

  for (const change of changes) {
    const code = change.itemCode;
    const now = cur.get(code);
    const conflict = conflicts.get(code);
    const texts = textsOf(change.answer);
    const ownBefore = now?.own?.[author];

    if (conflict) {
      const mine = conflict.sides.findIndex((s) => s.by === author);
      if (mine >= 0 && !later(change.at, conflict.sides[mine].at)) { out.ignored.push({ itemCode: code, reason: 'older' }); continue; }
      const side: ConflictSide = { by: author, at: change.at, answer: change.answer };
      const sides = mine >= 0 ? conflict.sides.map((s, i) => (i === mine ? side : s)) : [...conflict.sides, side];
      if (sides.every((s) => sameAnswer(s.answer, sides[0].answer))) {
        conflicts.delete(code);
        out.conflicts.delete(code);
        if (conflict.id) out.agreed.push({ id: conflict.id, itemCode: code });
        const merged = sides.slice(1).reduce((acc, s) => mergeDetails(acc, s.answer), sides[0].answer);
        if (!now || !identical(now.answer, merged)) write(code, merged, author, change.at, texts);
      } else {
        if (now && now.by === author) write(code, change.answer, author, change.at, texts); // the item shows its author's latest side
        const next = { id: conflict.id, sides };
        conflicts.set(code, next);
        out.conflicts.set(code, next);
      }
      continue;
    }

    if (now && identical(now.answer, change.answer)) { out.ignored.push({ itemCode: code, reason: 'same' }); continue; }
    if (!now || now.by === null || change.baseRev === now.rev) {
      write(code, change.answer, author, change.at, texts);
      continue;
    }

    if (now.by === author) {
      if (later(change.at, now.at)) write(code, change.answer, author, change.at, texts);
      else out.ignored.push({ itemCode: code, reason: 'older' });
      continue;
    }

    // Another person answered the item since this device last saw it.
    if (!change.answer.result || !now.answer.result || sameAnswer(now.answer, change.answer)) {
      const laterOne = later(change.at, now.at);
      const merged = laterOne
        ? mergeDetails(now.answer, change.answer, { side: 'later', texts: ownBefore })
        : mergeDetails(change.answer, now.answer, { side: 'earlier', texts: ownBefore });
      if (identical(now.answer, merged)) { out.ignored.push({ itemCode: code, reason: 'same' }); continue; }
      write(code, merged, laterOne ? author : now.by, laterOne ? change.at : now.at, texts);
      continue;
    }
    const opened = { sides: [{ by: now.by, at: now.at, answer: now.answer }, { by: author, at: change.at, answer: change.answer }] };
    conflicts.set(code, opened);
    out.conflicts.set(code, opened);
  }
  return out;
}

/** A person chose one side: the item takes that answer (who gave it, when), one revision on. */
export function resolveConflict(conflict: OpenConflict, side: number, current: ItemVersion | undefined): ItemVersion {
  const chosen = conflict.sides[side];
  if (!chosen) throw new RangeError(`conflict ${conflict.id} has no side ${side}`);
  return { answer: chosen.answer, by: chosen.by, at: chosen.at, rev: (current?.rev ?? 0) + 1, own: current?.own };
}
