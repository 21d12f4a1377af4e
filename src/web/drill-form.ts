import { fieldMessage } from '../common/messages';
import { EVACUATED_LEVELS } from '../drills/domain/drill-rules';

/** The drill and training forms read into the API's DTO shapes (validated by the same DTOs afterwards). */

/** A number typed into a form ('' is absent; anything else that is not a number stays text, so validation names it). */
export function num(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The drill form as the API's DTO: blank evacuated counts are 0, minutes and seconds become seconds. */
export function drillBody(body: Record<string, unknown>): Record<string, unknown> {
  const minutes = num(body.evacuationMinutes);
  const seconds = num(body.evacuationSecondsPart);
  const timed = minutes !== undefined || seconds !== undefined;
  const evacuationSeconds = !timed ? undefined
    : typeof (minutes ?? 0) === 'number' && typeof (seconds ?? 0) === 'number' ? ((minutes as number | undefined) ?? 0) * 60 + ((seconds as number | undefined) ?? 0) : 'x';
  return {
    heldOn: text(body.heldOn), kind: text(body.kind) || undefined, form: text(body.form) || undefined, participantsStaff: num(body.participantsStaff),
    participantsNote: text(body.participantsNote) || undefined, lessons: text(body.lessons),
    evacuated: Object.fromEntries(EVACUATED_LEVELS.map((l) => [l, num(body[`evacuated.${l}`]) ?? 0])),
    evacuationSeconds,
  };
}

/** The training form: one trainee a line, "姓名，身份证后四位，岗位" (comma, 、 or tab). */
export function trainingBody(body: Record<string, unknown>): { dto: Record<string, unknown>; lineErrors: string[] } {
  const lineErrors: string[] = [];
  const trainees = text(body.trainees).split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((line, i) => {
    const parts = line.split(/\s*[,，、\t]\s*/);
    if (parts.length > 3) lineErrors.push(`参训人员：${fieldMessage('traineeLine', 'zh', [i + 1])}`);
    const [name, second, third] = parts;
    // a second part that is not 4 characters of an ID number is the role ("王芳，护理员")
    const idLike = second !== undefined && /^[0-9]{3}[0-9Xx]$/.test(second);
    return { name, idLast4: idLike ? second.toUpperCase() : undefined, role: (idLike ? third : second) || undefined };
  });
  return { dto: { heldOn: text(body.heldOn), topic: text(body.topic) || undefined, hours: num(body.hours), trainer: text(body.trainer) || undefined, trainees }, lineErrors };
}

