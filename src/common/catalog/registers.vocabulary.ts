/** Enumerated labels of 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) (merged into VOCABULARY in ../vocabulary.ts). */
export const REGISTER_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
