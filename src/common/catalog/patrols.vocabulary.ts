/** Labels of 巡查 (merged into VOCABULARY in ../vocabulary.ts). */
export const PATROL_VOCABULARY = {
  /** patrol.kind (PATROL_KINDS) */
  patrolKind: {
    daily: { zh: '日巡查', en: 'daily patrol' },
    night: { zh: '夜间巡查', en: 'night patrol' },
    monthly: { zh: '月检查', en: 'monthly check' },
  },
  /** patrol_point.area (PATROL_AREAS) */
  patrolArea: {
    control_room: { zh: '消防控制室', en: 'fire control room' },
    kitchen: { zh: '厨房', en: 'kitchen' },
    floor_exit: { zh: '楼层安全出口', en: 'floor exit' },
    gas_room: { zh: '燃气间', en: 'gas room' },
    electrical: { zh: '配电间', en: 'electrical room' },
    other: { zh: '其他区域', en: 'other area' },
  },
  /** patrol_result.result (PATROL_RESULTS) */
  patrolResult: {
    pass: { zh: '正常', en: 'pass' },
    fail: { zh: '异常', en: 'fail' },
    na: { zh: '不适用', en: 'n/a' },
  },
  /** a slot's state (SLOT_STATES) */
  slotState: {
    done: { zh: '已完成', en: 'done' },
    late: { zh: '迟巡', en: 'late' },
    in_progress: { zh: '进行中', en: 'in progress' },
    incomplete: { zh: '未完成', en: 'not finished' },
    missed: { zh: '漏巡', en: 'missed' },
    open: { zh: '待巡查', en: 'due now' },
  },
  /** self_hazard.status */
  selfHazardStatus: {
    open: { zh: '整改中', en: 'open' },
    closed: { zh: '已整改', en: 'closed' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
