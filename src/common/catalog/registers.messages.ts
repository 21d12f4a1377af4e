/** Messages of 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const REGISTER_MESSAGES: Record<string, { zh: string; en: string }> = {
  'register.staff_not_found': { zh: '人员不存在或不在您的范围内', en: 'The staff member does not exist or is outside your scope' },
  'register.certificate_not_found': { zh: '证书不存在或不在您的范围内', en: 'The certificate does not exist or is outside your scope' },
  'register.equipment_not_found': { zh: '设备不存在或不在您的范围内', en: 'The equipment does not exist or is outside your scope' },
  'register.test_not_found': { zh: '法定检验记录不存在或不在您的范围内', en: 'The statutory test does not exist or is outside your scope' },
  'register.version_conflict': { zh: '台账记录已被他人修改，请刷新后重试', en: 'The register entry was changed by someone else; reload and try again' },
  'register.retired': { zh: '该记录已停用，不能再修改', en: 'The entry is retired and can no longer change' },
  'register.duplicate_certificate': { zh: '本机构已登记同类型、同编号的有效证书', en: 'A certificate of this type and number is already registered for this institution' },
  'register.duplicate_test': { zh: '该设备已登记此类法定检验，请在原记录上更新日期', en: 'This test is already registered for the equipment; update its dates instead' },
  'register.board_contacts_bureau_only': { zh: '属地监管责任人和监督电话由主管部门填写', en: 'The local supervisor and the hotline are set by the bureau' },
  'register.photo_not_found': { zh: '证书照片不存在', en: 'The certificate photo does not exist' },
};

export const REGISTER_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  staffPhoneRequired: { zh: '安全责任人和安全员须填写联系电话（公示牌上公布）', en: 'is required for the person responsible for safety and the safety officer (printed on the board)' },
  expiresBeforeIssued: { zh: '到期日期不能早于发证日期（{0}）', en: 'must not be before the issue date ({0})' },
  expiresBeforeDone: { zh: '有效期至不能早于检验日期（{0}）', en: 'must not be before the test date ({0})' },
  testKindNotForEquipment: { zh: '{0}不适用于{1}，可选：{2}', en: '{0} does not apply to {1}; choose one of: {2}' },
  staffNotInRegister: { zh: '持证人不在本机构在岗人员名单中', en: 'is not a current staff member of this institution' },
  certificatePhotoNotFound: { zh: '证书照片不存在或不是为本机构台账上传的', en: 'no such certificate photo uploaded for this institution\'s register' },
  arrayMinSize: { zh: '至少选择 {0} 项', en: 'must contain at least {0} entries' },
  arrayMaxSize: { zh: '最多选择 {0} 项', en: 'must contain at most {0} entries' },
  rolesRequired: { zh: '请至少选择一个岗位', en: 'choose at least one post' },
};
