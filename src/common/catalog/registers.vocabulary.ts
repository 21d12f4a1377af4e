/** Enumerated labels of 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) (merged into VOCABULARY in ../vocabulary.ts). */
export const REGISTER_VOCABULARY = {
  /** register_staff.roles (STAFF_ROLES): the safety posts of standards.md §4.5, §4.9 and §11 */
  staffRole: {
    safety_responsible: { zh: '安全责任人', en: 'person responsible for safety' },
    safety_manager: { zh: '安全管理人', en: 'safety manager' },
    safety_officer: { zh: '安全员', en: 'safety officer' },
    control_room_operator: { zh: '消控室值班人员', en: 'fire-control room operator' },
    other: { zh: '其他岗位', en: 'other post' },
  },
  /** register_certificate.cert_type (CERTIFICATE_TYPES) */
  certificateType: {
    fire_facility_operator: { zh: '消防设施操作员证书', en: 'fire-facility operator certificate' },
    special_equipment: { zh: '特种设备安全管理和作业人员证', en: 'special-equipment personnel certificate' },
    electrician: { zh: '特种作业操作证（电工）', en: 'special-operation certificate (electrician)' },
    safety_training: { zh: '安全培训合格证明', en: 'safety-training certificate' },
    other: { zh: '其他证书', en: 'other certificate' },
  },
  /** register_equipment.kind (EQUIPMENT_KINDS) */
  equipmentKind: {
    elevator: { zh: '电梯', en: 'elevator' },
    boiler: { zh: '锅炉', en: 'boiler' },
    pressure_vessel: { zh: '压力容器', en: 'pressure vessel' },
    oxygen_pipeline: { zh: '氧气管道（压力管道）', en: 'oxygen pipeline (pressure piping)' },
    fire_system: { zh: '建筑消防设施', en: 'building fire-protection systems' },
    extinguisher: { zh: '灭火器', en: 'fire extinguishers' },
  },
  /** register_statutory_test.test_kind (TEST_KINDS) */
  statutoryTestKind: {
    periodic_inspection: { zh: '定期检验', en: 'periodic statutory inspection' },
    annual_test: { zh: '年度全面检测', en: 'annual full test' },
    maintenance_contract: { zh: '维保合同（月度维保）', en: 'maintenance contract (monthly maintenance)' },
    service: { zh: '维修保养（检查）', en: 'service and check' },
  },
  /** expiryStatus (EXPIRY_STATUSES): the status chip of a certificate or a statutory test (policy registers.expiryAlertDays [30, 7]) */
  expiryStatus: {
    valid: { zh: '有效', en: 'valid' },
    expiring: { zh: '30天内到期', en: 'expires within 30 days' },
    expiring_soon: { zh: '7天内到期', en: 'expires within 7 days' },
    expired: { zh: '已过期', en: 'expired' },
    no_expiry: { zh: '长期有效', en: 'no expiry date' },
  },
  /** register_expiry_alert.item_kind (REGISTER_ITEM_KINDS) */
  registerItemKind: {
    certificate: { zh: '证书', en: 'certificate' },
    statutory_test: { zh: '法定检验', en: 'statutory test' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
