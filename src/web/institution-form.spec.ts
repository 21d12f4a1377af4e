import { creditCodeCheckChar } from '../common/credit-code';
import type { Division } from '../divisions/division.entity';
import type { Institution } from '../institutions/institution.entity';
import { blankFormValues, changesAnything, divisionOptions, errorsByField, formSections, formValuesOf, mergeConflict, parseInstitutionForm } from './institution-form';

const first17 = '52320402MJ5678901';
const code = first17 + creditCodeCheckChar(first17);

const filled = (over: Record<string, string> = {}): Record<string, string> => ({
  ...blankFormValues(), name: '竹林颐养院', kind: 'nursing_home', ownership: 'private', creditCode: code, divisionCode: '320402004',
  address: '竹林路 18 号', contactName: '陈静', contactPhone: '13912345678', storeys: '3', totalAreaM2: '2600', approvedBeds: '60', occupiedBeds: '45',
  residentsSelfCare: '45', hasSprinklers: 'on', ...over,
});

describe('the registration form (pure)', () => {
  const create = formSections('create');

  it('groups the fields in the four sections; status only on create (or to open a 筹建 institution)', () => {
    expect(create.map((s) => s.title)).toEqual(['基本信息', '建筑与设施', '床位与在住老人', '设施设备']);
    const names = (ss: ReturnType<typeof formSections>) => ss.flatMap((s) => s.fields.map((f) => f.name));
    expect(names(create)).toContain('status');
    expect(names(formSections('edit', 'active'))).not.toContain('status');
    expect(names(formSections('edit', 'preparing'))).toContain('status');
    expect(names(formSections('contacts'))).toEqual(['address', 'contactName', 'contactPhone']);
  });

  it('parses a complete form into the DTO: numbers, checkboxes, upper-cased code, blanks left out', () => {
    const { dto, errors } = parseInstitutionForm(filled({ creditCode: ` ${code.toLowerCase()} ` }), 'create', create);
    expect(errors).toEqual({});
    expect(dto).toMatchObject({ creditCode: code, storeys: 3, approvedBeds: 60, hasSprinklers: true, hasBoiler: false, residentsMildlyDisabled: 0 });
    expect(dto).not.toHaveProperty('buildingVolumeM3');
    expect(dto).not.toHaveProperty('profitStatus');
  });

  it('names each problem beside its field: missing, the credit code, the DTO rules', () => {
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const { dto, errors } = parseInstitutionForm(filled({ name: '', creditCode: wrong, contactPhone: '123', storeys: '0', fireResistanceGrade: '5' }), 'create', create);
    expect(dto).toBeNull();
    expect(errors.name).toEqual(['机构名称：必填']);
    expect(errors.creditCode[0]).toMatch(/^统一社会信用代码：校验位错误/);
    expect(errors.contactPhone).toEqual(['联系电话：不是有效的电话号码']);
    expect(errors.storeys).toEqual(['地上层数：不能小于 1']);
    expect(errors.fireResistanceGrade).toEqual(['耐火等级（1–4 级）：不能大于 4']);
  });

  it('an edit sends only what changed, with the version', () => {
    const current = { ...parseInstitutionForm(filled(), 'create', create).dto, buildingVolumeM3: null, version: 3 } as unknown as Institution;
    const edit = formSections('edit', 'active');
    const values = { ...formValuesOf(current), contactName: '陈静怡', approvedBeds: '64.0' };
    const { dto } = parseInstitutionForm(values, 'edit', edit, current, 3);
    expect(dto).toEqual({ contactName: '陈静怡', approvedBeds: 64, version: 3 });
    expect(changesAnything(parseInstitutionForm(formValuesOf(current), 'edit', edit, current, 3).dto!)).toBe(false);
  });

  it('puts a rule of the service beside the field a person corrects, with field names as labels', () => {
    expect(errorsByField([{ field: 'residents', reason: 'residentsExceedOccupied', args: [50, 45] }])).toEqual({ residentsSelfCare: ['在住老人：各照护等级老人合计（50）不能超过实际入住床位（45）'] });
    expect(errorsByField([{ field: 'lowestFloor', reason: 'mustMatch', args: ['facilityLowestFloor', 2] }]).facilityLowestFloor[0]).toContain('须与 机构所在最低楼层 一致');
    expect(errorsByField([{ field: 'creditCode', reason: 'taken' }])).toEqual({ creditCode: ['统一社会信用代码：已被占用'] });
  });

  it('merges a version conflict: your change kept where nobody else changed the field, the current value where both did', () => {
    const edit = formSections('edit', 'active');
    const opened = filled();
    const yours = { ...opened, contactName: '陈静怡', approvedBeds: '64' };
    const current = { ...opened, approvedBeds: '70', address: '竹林路 20 号' };
    const { rows, merged } = mergeConflict(edit, opened, yours, current, (c) => c);
    expect(rows.map((r) => [r.field, r.opened, r.yours, r.current, r.theirs, r.mine])).toEqual([
      ['address', '竹林路 18 号', '竹林路 18 号', '竹林路 20 号', true, false],
      ['contactName', '陈静', '陈静怡', '陈静', false, true],
      ['approvedBeds', '60', '64', '70', true, true],
    ]);
    expect(merged).toMatchObject({ contactName: '陈静怡', approvedBeds: '70', address: '竹林路 20 号' });
  });

  it('offers districts and their streets, streets indented', () => {
    const d = (code: string, name: string, level: string) => ({ code, name, level } as Division);
    expect(divisionOptions([d('320400', '常州市', 'city'), d('320402', '天宁区', 'district'), d('320402004', '红梅街道', 'street')]))
      .toEqual([{ code: '320402', label: '天宁区', level: 'district' }, { code: '320402004', label: '　　红梅街道', level: 'street' }]);
  });
});
