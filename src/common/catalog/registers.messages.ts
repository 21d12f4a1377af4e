/** Messages of 人员与设备台账、安全责任公示牌 (staff, certificates, statutory tests, the safety board) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const REGISTER_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const REGISTER_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
