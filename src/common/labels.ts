/** Chinese display names of enumerated values (the glossary in docs/glossary.md lists the same terms). */
export const ROLE_LABELS: Record<string, string> = {
  bureau_admin: '民政局管理员', bureau_officer: '监管人员', inspector: '检查员', institution: '机构用户', system: '系统',
};
export const KIND_LABELS: Record<string, string> = {
  nursing_home: '养老院', nursing_care: '护理院（医养结合）', community_complex: '社区养老服务综合体',
  day_care: '日间照料中心', meal_point: '老年助餐点', rural_home: '农村敬老院',
};
export const OWNERSHIP_LABELS: Record<string, string> = { public: '公办', private: '民办', public_private: '公建民营' };
export const STATUS_LABELS: Record<string, string> = { preparing: '筹建中', active: '运营中', suspended: '停业整顿', closed: '已注销' };
export const GAS_LABELS: Record<string, string> = { none: '无燃气', piped: '管道燃气', lpg: '瓶装液化石油气' };
export const CHANGE_REQUEST_STATUS_LABELS: Record<string, string> = { pending: '待审核', approved: '已确认', rejected: '不予确认', withdrawn: '已撤回' };
