/** Messages of 演练与培训 (drills and training records) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const DRILL_MESSAGES: Record<string, { zh: string; en: string }> = {
  'drill.not_found': { zh: '演练记录不存在或不在您的范围内', en: 'The drill record does not exist or is outside your scope' },
};

export const DRILL_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  evacuatedExceedsResidents: { zh: '疏散人数（{0}）不能超过该照护等级在住老人数（{1}）', en: 'evacuated ({0}) must not exceed the residents of this care level ({1})' },
  evacuationTimeRequired: { zh: '实战疏散演练须填写疏散用时', en: 'a live evacuation drill needs its evacuation time' },
  tooManyPhotos: { zh: '每次演练最多 {0} 张照片', en: 'at most {0} photos per drill' },
  tabletopEvacuates: { zh: '桌面推演不疏散老人，疏散人数和用时应留空', en: 'a tabletop exercise evacuates nobody; leave the numbers and time empty' },
  traineeLine: { zh: '第 {0} 行格式应为“姓名，身份证后四位（可选），岗位（可选）”', en: 'line {0} must read "name, last 4 of the ID number (optional), role (optional)"' },
};
