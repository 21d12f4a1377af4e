/** Labels of 消防物联网 / 云值班 (merged into VOCABULARY in ../vocabulary.ts). */
export const DEVICE_VOCABULARY = {
  /** device.type (DEVICE_TYPES) */
  deviceType: {
    smoke_detector: { zh: '感烟火灾探测器', en: 'smoke detector' },
    electrical_fire_monitor: { zh: '电气火灾监控探测器', en: 'electrical-fire monitor' },
    gas_detector: { zh: '可燃气体探测器（联动切断阀）', en: 'combustible-gas detector with shut-off valve' },
    water_pressure: { zh: '喷淋/消火栓水压监测', en: 'sprinkler / hydrant pressure' },
    alarm_panel_gateway: { zh: '火灾报警控制器网关（用户信息传输装置）', en: 'fire-alarm panel gateway' },
  },
  /** device.status (DEVICE_STATUSES) */
  deviceStatus: {
    online: { zh: '在线', en: 'online' },
    offline: { zh: '离线', en: 'offline' },
    fault: { zh: '故障', en: 'fault' },
  },
  /** device_event.kind (DEVICE_EVENT_KINDS) */
  deviceEventKind: {
    alarm: { zh: '火警报警', en: 'alarm' },
    fault: { zh: '故障', en: 'fault' },
    offline: { zh: '离线', en: 'offline' },
    restored: { zh: '恢复', en: 'restored' },
    valve_closed: { zh: '燃气切断阀关闭', en: 'gas valve closed' },
  },
  /** device_alarm.outcome (ALARM_OUTCOMES) */
  alarmOutcome: {
    real: { zh: '真实火警', en: 'real fire' },
    false: { zh: '误报', en: 'false alarm' },
    test: { zh: '测试', en: 'test' },
  },
  /** an alarm's duty-clock state (ALARM_STATES) */
  alarmState: {
    open: { zh: '待确认', en: 'awaiting confirmation' },
    escalated: { zh: '超时未确认（已上报）', en: 'escalated' },
    confirmed: { zh: '已按时确认', en: 'confirmed in time' },
    confirmed_late: { zh: '超时后确认', en: 'confirmed late' },
  },
  /** device_credential.kind (CREDENTIAL_KINDS) */
  credentialKind: {
    institution: { zh: '机构网关', en: 'institution gateway' },
    platform: { zh: '厂商平台', en: 'vendor platform' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
