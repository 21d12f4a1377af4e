import { DRILL_MAX_PHOTOS } from '../drills/drills.service';
import { can } from '../auth/permissions';
import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { label, labelEntries } from '../common/vocabulary';
import { DRILL_DUE_SOON_DAYS, EVACUATED_LEVELS, Evacuated, EvacuatedLevel, formatEvacuationTime } from '../drills/domain/drill-rules';
import type { DrillRow } from '../drills/drills.repository';
import type { DrillSummary, TraineeView } from '../drills/drills.service';
import type { Flash, Link } from './view-common';

/** The labels of the drill and training form fields (error lines name them). */
export const DRILL_FIELDS: Record<string, string> = {
  heldOn: '演练日期', kind: '演练类型', form: '演练形式', participantsStaff: '参加演练的工作人员数', participantsNote: '其他参加人员',
  evacuated: '疏散人数', ...Object.fromEntries(EVACUATED_LEVELS.map((l) => [`evacuated.${l}`, `疏散${label('evacuatedLevel', l)}`])),
  evacuationSeconds: '疏散用时', lessons: '存在问题与改进措施',
};
export const TRAINING_FIELDS: Record<string, string> = {
  heldOn: '培训日期', topic: '培训内容', hours: '学时', trainer: '授课人或单位', trainees: '参训人员',
};

/** The label of a training field, including one trainee's (`trainees.2.idLast4` → 参训人员第 3 行 身份证后四位). */
export function trainingFieldLabel(field: string): string {
  const m = /^trainees\.(\d+)\.(name|idLast4|role)$/.exec(field);
  if (!m) return TRAINING_FIELDS[field] ?? field;
  return `参训人员第 ${Number(m[1]) + 1} 行 ${{ name: '姓名', idLast4: '身份证后四位', role: '岗位' }[m[2]]}`;
}

/** The flag as the page shows it: the state's label, its tone and one sentence saying what is due. */
export interface DrillFlagView {
  state: DrillSummary['state'];
  label: string;
  tone: 'ok' | 'warn' | 'bad';
  text: string;
}

export function drillFlagView(s: DrillSummary): DrillFlagView {
  const months = s.liveDrillMonths;
  const last = s.lastLiveDrillOn ? `上次实战演练：${formatChineseDate(s.lastLiveDrillOn)}。` : '尚无实战演练记录。';
  const due = s.dueBy ? formatChineseDate(s.dueBy) : '';
  const text = s.state === 'not_started' ? `${last}机构开业运营满 ${months} 个月前不作要求（筹建中的机构不计算）。`
    : s.state === 'missed' ? `${last}应在 ${due} 前完成实战演练，已逾期 ${s.days} 天。请尽快组织实战演练（每 ${months} 个月至少一次）。`
      : s.state === 'due' ? `${last}请在 ${due} 前完成下一次实战演练（还有 ${s.days} 天）。`
        : `${last}下一次实战演练应在 ${due} 前完成。`;
  return { state: s.state, label: label('drillState', s.state), tone: s.state === 'missed' ? 'bad' : s.state === 'due' ? 'warn' : 'ok', text };
}

export interface DrillRowView {
  id: string;
  heldOn: string;
  kindLabel: string;
  formLabel: string;
  live: boolean;
  participants: string;
  evacuated: string;
  evacuationTime: string;
  lessons: string;
  recorded: string;
  /** the photos' addresses, and whether another may be added */
  photos: string[];
  morePhotos: boolean;
}

export interface TraineeRowView {
  name: string;
  idLast4: string;
  role: string;
  lastTrainedOn: string;
  lastTopic: string;
  trainings: number;
  dueBy: string;
  overdue: boolean;
}

/** What the drill form shows again after a refusal (the raw strings the user typed). */
export type DrillDraft = Record<string, string>;

export interface DrillsPageView {
  institution: { id: string; name: string };
  back: Link;
  flag: DrillFlagView;
  dueSoonDays: number;
  drills: Page<DrillRowView>;
  trainees: Page<TraineeRowView>;
  trainingMonths: number;
  mayRecord: boolean;
  csrf: string;
  flash: { drill?: Flash; training?: Flash; page?: Flash };
  drillDraft: DrillDraft;
  trainingDraft: DrillDraft;
  choices: { kinds: [string, string][]; forms: [string, string][]; topics: [string, string][]; levels: { key: EvacuatedLevel; label: string; residents: number }[] };
  today: string;
}

function evacuatedText(e: Evacuated): string {
  const parts = EVACUATED_LEVELS.filter((l) => e[l] > 0).map((l) => `${label('evacuatedLevel', l)} ${e[l]} 人`);
  return parts.length ? parts.join('、') : '—';
}

/** The drills page's decisions: labels, the flag's sentence, which forms this viewer may use. */
export function drillsPageView(user: AuthUser, input: {
  institution: { id: string; name: string }; residents: Evacuated; status: DrillSummary; drills: Page<DrillRow>; trainees: Page<TraineeView>;
  trainingMonths: number; csrf: string; today: string; flash?: DrillsPageView['flash']; drillDraft?: DrillDraft; trainingDraft?: DrillDraft;
}): DrillsPageView {
  return {
    institution: input.institution,
    back: { href: `/institutions/${input.institution.id}`, label: input.institution.name },
    flag: drillFlagView(input.status),
    dueSoonDays: DRILL_DUE_SOON_DAYS,
    drills: {
      ...input.drills,
      items: input.drills.items.map((d) => ({
        id: d.id, heldOn: formatChineseDate(d.heldOn), kindLabel: label('drillKind', d.kind), formLabel: label('drillForm', d.form), live: d.form === 'live',
        participants: `工作人员 ${d.participantsStaff} 人${d.participantsNote ? `；${d.participantsNote}` : ''}`,
        evacuated: evacuatedText(d.evacuated), evacuationTime: formatEvacuationTime(d.evacuationSeconds), lessons: d.lessons,
        recorded: `${d.recordedByName} · ${formatChineseDateTime(new Date(d.recordedAt))}`,
        photos: (d.photoIds ?? []).map((p) => `/institutions/${d.institutionId}/drills/${d.id}/photos/${p}`), morePhotos: (d.photoIds ?? []).length < DRILL_MAX_PHOTOS,
      })),
    },
    trainees: {
      ...input.trainees,
      items: input.trainees.items.map((t) => ({
        name: t.name, idLast4: t.idLast4 ?? '—', role: t.role ?? '—', lastTrainedOn: formatChineseDate(t.lastTrainedOn), lastTopic: label('trainingTopic', t.lastTopic),
        trainings: t.trainings, dueBy: formatChineseDate(t.dueBy), overdue: t.overdue,
      })),
    },
    trainingMonths: input.trainingMonths,
    mayRecord: can(user, 'drill.record'),
    csrf: input.csrf,
    flash: input.flash ?? {},
    drillDraft: input.drillDraft ?? {},
    trainingDraft: input.trainingDraft ?? {},
    choices: {
      kinds: labelEntries('drillKind'), forms: labelEntries('drillForm'), topics: labelEntries('trainingTopic'),
      levels: EVACUATED_LEVELS.map((key) => ({ key, label: label('evacuatedLevel', key), residents: input.residents[key] })),
    },
    today: input.today,
  };
}
