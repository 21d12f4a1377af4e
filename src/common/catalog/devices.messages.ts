/** Messages of 消防物联网 / 云值班 (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const DEVICE_MESSAGES: Record<string, { zh: string; en: string }> = {
  'device.key_missing': { zh: '缺少签名：须带 X-Yian-Key、X-Yian-Timestamp 与 X-Yian-Signature', en: 'Unsigned: X-Yian-Key, X-Yian-Timestamp and X-Yian-Signature are required' },
  'device.key_unknown': { zh: '接入凭据不存在或已停用', en: 'The credential does not exist or was revoked' },
  'device.timestamp_invalid': { zh: 'X-Yian-Timestamp 须为 Unix 时间（秒）', en: 'X-Yian-Timestamp must be Unix time in seconds' },
  'device.timestamp_skew': { zh: '请求时间与服务器时间相差过大（请校准网关时钟）', en: 'The request time is too far from the server clock (check the gateway clock)' },
  'device.signature_invalid': { zh: '签名不正确', en: 'The signature is wrong' },
  'device.rate_limited': { zh: '发送过快，请 {seconds} 秒后重试', en: 'Too many events; retry in {seconds} s' },
  'device.not_found': { zh: '设备不存在或不在您的范围内', en: 'The device does not exist or is outside your scope' },
  'device.credential_not_found': { zh: '接入凭据不存在或不在您的范围内', en: 'The credential does not exist or is outside your scope' },
  'device.alarm_not_found': { zh: '报警记录不存在或不在您的范围内', en: 'The alarm does not exist or is outside your scope' },
  'device.alarm_confirmed': { zh: '该报警已确认，不能再修改', en: 'The alarm was already confirmed' },
  'device.duplicate': { zh: '该接入凭据下已有相同编号的设备', en: 'A device with this id is already registered under the credential' },
};

export const DEVICE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  deviceEventsMissing: { zh: '须为非空的事件数组', en: 'must be a non-empty array of events' },
  deviceEventsTooMany: { zh: '一次最多 {0} 条事件', en: 'at most {0} events per request' },
  deviceEventInvalid: { zh: '须为事件对象', en: 'must be an event object' },
  deviceIdInvalid: { zh: '须为 1–64 位字母、数字或 . _ : -', en: 'must be 1–64 letters, digits or . _ : -' },
  deviceEventRepeated: { zh: '本批次中事件编号 {0} 重复', en: 'event id {0} appears twice in the batch' },
  deviceEventInFuture: { zh: '事件时间晚于服务器时间（请校准设备时钟）', en: 'is later than the server clock (check the device clock)' },
  deviceUnknown: { zh: '设备 {0} 未在该接入凭据下登记或已停用', en: 'device {0} is not registered under this credential or was retired' },
  deviceDuplicate: { zh: '该接入凭据下已登记相同编号的设备', en: 'a device with this id is already registered under the credential' },
  credentialNotUsable: { zh: '不是可用于该机构的接入凭据', en: 'is not a credential usable for this institution' },
};
