import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldIssue } from '../common/app-error';
import { fieldMessage } from '../common/messages';
import { flattenValidationErrors } from '../common/validation';
import { labelEntries } from '../common/vocabulary';
import type { Division } from '../divisions/division.entity';
import { creditCodeProblem, normalizeCreditCode } from '../institutions/credit-code-check';
import { CreateInstitutionDto, INSTITUTION_ROLE_EDITABLE, UpdateInstitutionDto } from '../institutions/dto/institution.dto';
import type { Institution } from '../institutions/institution.entity';

/**
 * 机构登记 / 编辑表单 — the fields of CreateInstitutionDto grouped in the sections a registration form has, with the
 * HTML constraints that let the browser help (required, min, max, pattern, maxlength) mirroring the DTO's, and the
 * parsing of a submitted form back into the DTO (validated by the API's own class) with errors keyed by field.
 * Pure: no Nest, no database.
 */
export type InputKind = 'text' | 'tel' | 'number' | 'select' | 'checkbox' | 'division';

export interface FormField {
  name: string;
  label: string;
  input: InputKind;
  required?: boolean;
  min?: number;
  max?: number;
  /** "1" for integers, "0.01" for two decimals */
  step?: string;
  maxLength?: number;
  pattern?: string;
  options?: [string, string][];
  /** the label of the empty option of an optional select ('' = none offered) */
  emptyOption?: string;
  hint?: string;
  /** left empty = not recorded (null) */
  nullable?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'tel' | 'text';
  autocomplete?: string;
}

export interface FormSection {
  id: string;
  title: string;
  note?: string;
  fields: FormField[];
}

const int = (name: string, label: string, min: number, max: number, extra: Partial<FormField> = {}): FormField =>
  ({ name, label, input: 'number', min, max, step: '1', inputMode: 'numeric', required: !extra.nullable, ...extra });
const dec = (name: string, label: string, max: number, extra: Partial<FormField> = {}): FormField =>
  ({ name, label, input: 'number', min: 0, max, step: '0.01', inputMode: 'decimal', required: !extra.nullable, ...extra });
const check = (name: string, label: string): FormField => ({ name, label, input: 'checkbox' });

/** The credit code alphabet of GB 32100-2015 (no I, O, Z, S, V); lower case is accepted and upper-cased. */
export const CREDIT_CODE_PATTERN = '[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}';
/** Mirrors IsPhone: a landline 0519-88886666 or a mobile 13912345678. */
export const PHONE_PATTERN = '(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)';

export const FORM_SECTIONS: readonly FormSection[] = [
  {
    id: 'basic', title: '基本信息', fields: [
      { name: 'name', label: '机构名称', input: 'text', required: true, maxLength: 100, autocomplete: 'organization' },
      { name: 'kind', label: '机构类型', input: 'select', required: true, options: labelEntries('institutionKind'), emptyOption: '请选择' },
      { name: 'ownership', label: '性质', input: 'select', required: true, options: labelEntries('ownership'), emptyOption: '请选择' },
      { name: 'profitStatus', label: '营利性质', input: 'select', options: labelEntries('profitStatus'), emptyOption: '未登记', nullable: true },
      {
        name: 'creditCode', label: '统一社会信用代码', input: 'text', required: true, maxLength: 18, pattern: CREDIT_CODE_PATTERN,
        hint: '18 位，见营业执照或民办非企业单位登记证书；最后一位为校验位，录错一位即可发现', autocomplete: 'off',
      },
      { name: 'divisionCode', label: '所在街道（区划）', input: 'division', required: true, hint: '辖区内的区和街道；街道缩进显示' },
      { name: 'address', label: '地址', input: 'text', required: true, maxLength: 200, autocomplete: 'street-address' },
      { name: 'contactName', label: '联系人', input: 'text', required: true, maxLength: 50 },
      { name: 'contactPhone', label: '联系电话', input: 'tel', required: true, pattern: PHONE_PATTERN, inputMode: 'tel', hint: '座机如 0519-88886666，或 11 位手机号' },
      { name: 'status', label: '状态', input: 'select', required: true, options: [['active', '运营中'], ['preparing', '筹建中']], hint: '停业整顿和注销在机构页面“运营状态”中按日期登记' },
    ],
  },
  {
    id: 'building', title: '建筑与设施', note: '决定适用哪些检查项；未填写的事实按从严适用并标“待核实”。', fields: [
      int('storeys', '地上层数', 1, 200, { hint: '设在其他建筑内时为所在建筑的层数' }),
      check('insideOtherBuilding', '设置在其他建筑内'),
      int('hostBuildingStoreys', '所在建筑地上层数（设在其他建筑内时）', 1, 200, { nullable: true }),
      { name: 'hostBuildingUse', label: '所在建筑使用性质（设在其他建筑内时）', input: 'select', options: labelEntries('hostBuildingUse'), emptyOption: '未填写', nullable: true },
      int('facilityLowestFloor', '机构所在最低楼层', -5, 200, { nullable: true, hint: '独立建筑不填时按第 1 层' }),
      int('facilityHighestFloor', '机构所在最高楼层', -5, 200, { nullable: true, hint: '独立建筑不填时按地上层数' }),
      dec('buildingHeightM', '建筑高度（m）', 1000, { nullable: true }),
      dec('totalAreaM2', '总建筑面积（m²）', 10_000_000),
      dec('buildingVolumeM3', '建筑体积（m³）', 100_000_000_000, { nullable: true }),
      int('fireResistanceGrade', '耐火等级（1–4 级）', 1, 4, { nullable: true }),
      check('hasWindowBars', '外窗设有防盗网/栅栏'),
    ],
  },
  {
    id: 'beds', title: '床位与在住老人', note: '决定运营补贴；在住老人合计不能超过入住床位（无床位机构为额定服务人数）。', fields: [
      int('approvedBeds', '核定床位', 0, 100_000),
      int('occupiedBeds', '在住床位', 0, 100_000),
      int('capacityPlaces', '额定服务人数（无床位机构）', 0, 100_000, { nullable: true }),
      int('residentsSelfCare', '自理老人数', 0, 100_000),
      int('residentsMildlyDisabled', '轻度失能老人数', 0, 100_000),
      int('residentsModeratelyDisabled', '中度失能老人数', 0, 100_000),
      int('residentsSeverelyDisabled', '重度失能老人数', 0, 100_000),
      int('highestFloorWithDisabled', '中度及以上失能老人居住最高楼层', -5, 200, { nullable: true, hint: '有中度或重度失能老人时必填，没有时留空' }),
    ],
  },
  {
    id: 'equipment', title: '设施设备', fields: [
      check('hasFireControlRoom', '设有消防控制室'),
      check('hasAutoFireAlarm', '设有火灾自动报警系统'),
      check('hasSprinklers', '设有自动喷水灭火系统'),
      { name: 'gasSupply', label: '燃气供应', input: 'select', required: true, options: labelEntries('gasSupply') },
      check('hasCanteen', '设有内部食堂'),
      check('hasMedicalUnit', '内设医疗机构'),
      check('hasElevator', '设有电梯'),
      check('hasBoiler', '设有锅炉'),
      check('hasOxygenPipeline', '设有氧气管道'),
    ],
  },
];

const ALL_FIELDS: readonly FormField[] = FORM_SECTIONS.flatMap((s) => s.fields);
const FIELD_BY_NAME = new Map(ALL_FIELDS.map((f) => [f.name, f]));

/** The label people see for a field (or a rule's pseudo-field), for error lines. */
export function formFieldLabel(name: string): string {
  if (name === 'residents') return '在住老人';
  if (name === 'lowestFloor') return '机构所在最低楼层';
  if (name === 'version') return '档案版本';
  return FIELD_BY_NAME.get(name)?.label ?? name;
}

/** Where a rule's issue is shown: pseudo-fields beside the field a person corrects. */
const SHOWN_AT: Record<string, string> = { residents: 'residentsSelfCare', lowestFloor: 'facilityLowestFloor', storeys: 'storeys' };

export type FormMode = 'create' | 'edit' | 'contacts';

/** The sections a viewer fills in: everything (bureau), or only the contacts an institution account keeps itself. */
export function formSections(mode: FormMode, status?: string): FormSection[] {
  if (mode === 'contacts') {
    const editable = new Set<string>(INSTITUTION_ROLE_EDITABLE);
    return [{ id: 'contacts', title: '联系方式', note: '床位、在住老人和建筑档案经主管部门确认后生效，请通过“档案变更申请”提出。', fields: ALL_FIELDS.filter((f) => editable.has(f.name)) }];
  }
  // On edit the status is offered only to open a 筹建 institution; suspension and closure have dates of their own.
  return FORM_SECTIONS.map((s) => ({ ...s, fields: s.fields.filter((f) => f.name !== 'status' || mode === 'create' || status === 'preparing') }));
}

/** The form values of a stored institution (what the inputs show). */
export function formValuesOf(i: Institution): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ALL_FIELDS) {
    const v = (i as unknown as Record<string, unknown>)[f.name];
    out[f.name] = f.input === 'checkbox' ? (v ? 'on' : '') : v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** The defaults of an empty registration form. */
export function blankFormValues(): Record<string, string> {
  const out: Record<string, string> = Object.fromEntries(ALL_FIELDS.map((f) => [f.name, '']));
  for (const f of ['residentsSelfCare', 'residentsMildlyDisabled', 'residentsModeratelyDisabled', 'residentsSeverelyDisabled']) out[f] = '0';
  return { ...out, status: 'active', gasSupply: 'none' };
}

/** The submitted values as the inputs show them again (a refused form keeps what was typed). */
export function submittedValues(body: Record<string, unknown>, sections: FormSection[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of sections.flatMap((s) => s.fields)) {
    const raw = body[f.name];
    const v = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    out[f.name] = f.input === 'checkbox' ? (v === 'on' || v === 'true' ? 'on' : '') : typeof v === 'string' ? v : '';
  }
  return out;
}

export interface ParsedForm<T> {
  /** the DTO to hand to the service (only when `errors` is empty); fields left out are absent */
  dto: T | null;
  /** errors by the field they are shown beside, in field order */
  errors: Record<string, string[]>;
}

function typed(f: FormField, v: string, mode: FormMode): unknown {
  if (f.input === 'checkbox') return v === 'on';
  const s = f.name === 'creditCode' ? normalizeCreditCode(v) : v.trim();
  if (s === '') return f.nullable ? (mode === 'create' ? undefined : null) : undefined;
  if (f.input === 'number') {
    const n = Number(s);
    return Number.isFinite(n) ? n : s;
  }
  return s;
}

/**
 * A submitted form → the API's DTO (create) or the changes of an update (only the fields that differ from `current`,
 * with the version). Missing required fields, the DTO's own validation and the credit-code check are reported by field.
 */
export function parseInstitutionForm(values: Record<string, string>, mode: FormMode, sections: FormSection[], current?: Institution, version?: number):
  ParsedForm<CreateInstitutionDto | UpdateInstitutionDto> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, line: string) => (errors[SHOWN_AT[field] ?? field] ??= []).push(line);
  const plain: Record<string, unknown> = {};
  for (const f of sections.flatMap((s) => s.fields)) {
    const v = typed(f, values[f.name] ?? '', mode);
    if (f.required && v === undefined) {
      add(f.name, `${f.label}：${fieldMessage('isDefined', 'zh')}`);
      continue;
    }
    if (f.name === 'creditCode' && typeof v === 'string') {
      const problem = creditCodeProblem(v);
      if (problem) {
        add(f.name, `${f.label}：${fieldMessage(problem.reason, 'zh', 'args' in problem ? problem.args : [])}`);
        continue;
      }
    }
    if (v !== undefined) plain[f.name] = v;
  }
  let body: Record<string, unknown> = plain;
  if (mode !== 'create' && current) {
    const cur = current as unknown as Record<string, unknown>;
    body = Object.fromEntries(Object.entries(plain).filter(([k, v]) => !sameValue(cur[k], v)));
    body.version = version;
  }
  const cls: new () => object = mode === 'create' ? CreateInstitutionDto : UpdateInstitutionDto;
  const dto = plainToInstance(cls, body) as CreateInstitutionDto | UpdateInstitutionDto;
  const issues = flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }))
    // a required field already reported as missing is not reported twice
    .filter((i) => !(errors[i.field]?.length) && !(mode === 'create' && !(i.field in plain) && FIELD_BY_NAME.get(i.field)?.required));
  for (const line of issueLines(issues)) add(line.field, line.text);
  if (Object.keys(errors).length) return { dto: null, errors };
  const own = dto as unknown as Record<string, unknown>;
  for (const k of Object.keys(own)) if (own[k] === undefined) delete own[k];
  return { dto, errors: {} };
}

/** Whether an update would change anything (the version aside). */
export function changesAnything(dto: object): boolean {
  return Object.keys(dto).some((k) => k !== 'version');
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return a === b;
}

/** Readable lines of field issues (the API's or the service's), naming the field as the form labels it. */
export function issueLines(issues: FieldIssue[], labels: Record<string, string> = {}): { field: string; text: string }[] {
  return issues.map((i) => {
    const field = i.field.replace(/^changes\./, '');
    const args = (i.args ?? []).map((a) => (typeof a === 'string' && FIELD_BY_NAME.has(a) ? formFieldLabel(a) : a));
    const reason = field === 'creditCode' && i.reason === 'isCreditCode' ? 'creditCodeCheckDigit' : i.reason;
    return { field, text: `${labels[field] ?? formFieldLabel(field)}：${fieldMessage(reason, 'zh', args)}` };
  });
}

/** Errors by field from the service's refusal (cross-field rules, taken credit code, division out of scope). */
export function errorsByField(issues: FieldIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of issueLines(issues)) (out[SHOWN_AT[l.field] ?? l.field] ??= []).push(l.text);
  return out;
}

/** The division picker's options: the divisions in scope in tree order, streets indented under their district. */
export function divisionOptions(divisions: Division[]): { code: string; label: string; level: string }[] {
  return divisions.filter((d) => d.level === 'district' || d.level === 'street')
    .map((d) => ({ code: d.code, label: d.level === 'street' ? `　　${d.name}` : d.name, level: d.level }));
}

/** One row of the version-conflict comparison: a field someone changed since the form was opened, or that you changed. */
export interface ConflictRow {
  field: string;
  label: string;
  opened: string;
  yours: string;
  current: string;
  /** changed by someone else since the form was opened */
  theirs: boolean;
  /** changed by you */
  mine: boolean;
}

/** Shown value of a form value. */
export function displayValue(f: FormField | undefined, v: string, divisionName: (code: string) => string): string {
  if (!f) return v;
  if (f.input === 'checkbox') return v === 'on' ? '有' : '无';
  if (v === '') return '—';
  if (f.input === 'select') return f.options?.find(([k]) => k === v)?.[1] ?? v;
  if (f.input === 'division') return divisionName(v);
  return v;
}

/**
 * 版本冲突: the fields changed since the form was opened (by someone else) or by you, the current value beside
 * yours; and the form to re-edit from the current version, keeping your changes where nobody else changed the field.
 */
export function mergeConflict(sections: FormSection[], opened: Record<string, string>, yours: Record<string, string>, current: Record<string, string>, divisionName: (code: string) => string):
  { rows: ConflictRow[]; merged: Record<string, string> } {
  const rows: ConflictRow[] = [];
  const merged: Record<string, string> = { ...current };
  for (const f of sections.flatMap((s) => s.fields)) {
    const o = opened[f.name] ?? '';
    const y = yours[f.name] ?? '';
    const c = current[f.name] ?? '';
    const theirs = !sameForm(f, o, c);
    const mine = !sameForm(f, o, y);
    if (mine && !theirs) merged[f.name] = y;
    if (theirs || mine) rows.push({ field: f.name, label: f.label, opened: displayValue(f, o, divisionName), yours: displayValue(f, y, divisionName), current: displayValue(f, c, divisionName), theirs, mine });
  }
  return { rows, merged };
}

function sameForm(f: FormField, a: string, b: string): boolean {
  if (f.input === 'number' && a.trim() !== '' && b.trim() !== '') return Number(a) === Number(b);
  return a.trim() === b.trim();
}
