import { alarmState, authRefusal, confirmDueAt, deviceAfter, dutyAnswerText, dutyRecord, isImpaired, parseBatch, signEvents, TokenBuckets } from './device-rules';

const INGEST = { maxEventsPerRequest: 3, clockSkewSeconds: 300, institutionEventsPerSecond: 50, institutionBurstEvents: 500, platformEventsPerSecond: 5000, platformBurstEvents: 20000 };
const NOW = new Date('2026-12-03T04:00:00Z');
const ts = String(Math.floor(NOW.getTime() / 1000));

describe('signatures', () => {
  const body = Buffer.from('{"events":[]}');
  const sig = signEvents('s3cret', ts, body);

  it('accepts the HMAC of timestamp + newline + the exact body, and refuses anything else (401 reasons)', () => {
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(authRefusal({ key: 'k', timestamp: ts, signature: sig }, 's3cret', body, NOW, 300)).toBeNull();
    expect(authRefusal({ key: 'k', timestamp: ts, signature: sig }, 'other', body, NOW, 300)).toBe('device.signature_invalid');
    expect(authRefusal({ key: 'k', timestamp: ts, signature: sig }, 's3cret', Buffer.from('{"events":[ ]}'), NOW, 300)).toBe('device.signature_invalid');
    expect(authRefusal({ key: 'k', timestamp: ts, signature: 'sha256=00' }, 's3cret', body, NOW, 300)).toBe('device.signature_invalid');
    expect(authRefusal({ key: 'k', timestamp: ts }, 's3cret', body, NOW, 300)).toBe('device.key_missing');
    expect(authRefusal({ key: 'k', timestamp: ts, signature: sig }, null, body, NOW, 300)).toBe('device.key_unknown');
    expect(authRefusal({ key: 'k', timestamp: 'yesterday', signature: sig }, 's3cret', body, NOW, 300)).toBe('device.timestamp_invalid');
    const old = String(Number(ts) - 301);
    expect(authRefusal({ key: 'k', timestamp: old, signature: signEvents('s3cret', old, body) }, 's3cret', body, NOW, 300)).toBe('device.timestamp_skew');
  });
});

describe('TokenBuckets', () => {
  it('lets a burst up to the capacity through, refuses beyond it with the seconds to wait, and refills at the rate', () => {
    const b = new TokenBuckets();
    const limit = { perSecond: 10, capacity: 30 };
    expect(b.take('c', 30, limit, 0)).toBe(0);
    expect(b.take('c', 5, limit, 0)).toBe(1);
    expect(b.take('c', 20, limit, 0)).toBe(2);
    expect(b.take('c', 10, limit, 1000)).toBe(0);
    expect(b.take('other', 30, limit, 1000)).toBe(0);
  });
});

describe('parseBatch', () => {
  const ok = { id: 'e1', device: 'SD-1', type: 'alarm', occurredAt: '2026-12-03T11:59:00+08:00' };

  it('reads a well-formed batch', () => {
    const r = parseBatch({ events: [ok, { ...ok, id: 'e2', type: 'offline', detail: '心跳超时' }] }, NOW, INGEST);
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => [e.eventKey, e.kind, e.occurredAt.toISOString(), e.detail])).toEqual([
      ['e1', 'alarm', '2026-12-03T03:59:00.000Z', null], ['e2', 'offline', '2026-12-03T03:59:00.000Z', '心跳超时'],
    ]);
  });

  it('names every bad field and returns no events', () => {
    const r = parseBatch({ events: [ok, { ...ok, type: 'smoke' }, { id: 'e3', device: 'bad id', type: 'fault', occurredAt: '2026-12-03' }, { ...ok, id: 'e4', occurredAt: '2026-12-04T12:00:00+08:00', extra: 1 }] }, NOW, { ...INGEST, maxEventsPerRequest: 10 });
    expect(r.events).toEqual([]);
    expect(r.issues.map((i) => `${i.field}:${i.reason}`)).toEqual([
      'events[1].id:deviceEventRepeated', 'events[1].type:isIn', 'events[2].device:deviceIdInvalid', 'events[2].occurredAt:isIso8601',
      'events[3].extra:whitelistValidation', 'events[3].occurredAt:deviceEventInFuture',
    ]);
    expect(parseBatch({ events: [ok, ok, ok, ok] }, NOW, INGEST).issues).toEqual([{ field: 'events', reason: 'deviceEventsTooMany', args: [3] }]);
    expect(parseBatch([], NOW, INGEST).issues).toEqual([{ field: 'events', reason: 'deviceEventsMissing' }]);
    expect(parseBatch({ events: [] }, NOW, INGEST).issues).toEqual([{ field: 'events', reason: 'deviceEventsMissing' }]);
    expect(parseBatch({ events: [null] }, NOW, INGEST).issues).toEqual([{ field: 'events[0]', reason: 'deviceEventInvalid' }]);
  });
});

describe('device state', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 11, 3, h));
  const online = { status: 'online' as const, statusSince: at(0), lastOccurredAt: at(0) };

  it('follows the events by their own time; a late delivery of an older event changes nothing', () => {
    const off = deviceAfter(online, [{ kind: 'offline', occurredAt: at(2) }]);
    expect(off).toEqual({ status: 'offline', statusSince: at(2), lastOccurredAt: at(2) });
    expect(deviceAfter(off, [{ kind: 'alarm', occurredAt: at(3) }])).toEqual({ status: 'offline', statusSince: at(2), lastOccurredAt: at(3) });
    const back = deviceAfter(off, [{ kind: 'restored', occurredAt: at(5) }, { kind: 'fault', occurredAt: at(4) }]);
    expect(back).toEqual({ status: 'online', statusSince: at(5), lastOccurredAt: at(5) });
    expect(deviceAfter(back, [{ kind: 'offline', occurredAt: at(1) }])).toEqual(back);
  });

  it('is impaired after the policy hours offline or faulty, never while online', () => {
    expect(isImpaired({ status: 'offline', statusSince: at(0) }, at(24), 24)).toBe(true);
    expect(isImpaired({ status: 'fault', statusSince: at(1) }, at(24), 24)).toBe(false);
    expect(isImpaired({ status: 'online', statusSince: at(0) }, at(48), 24)).toBe(false);
  });
});

describe('duty clock', () => {
  const received = new Date('2026-12-03T04:00:00Z');
  const due = confirmDueAt(received, 3);

  it('is due the policy minutes after receipt; confirmed in time, late, open or escalated', () => {
    expect(due.toISOString()).toBe('2026-12-03T04:03:00.000Z');
    expect(alarmState({ confirmedAt: new Date('2026-12-03T04:02:59Z'), confirmDueAt: due, escalatedAt: null })).toBe('confirmed');
    expect(alarmState({ confirmedAt: new Date('2026-12-03T04:05:00Z'), confirmDueAt: due, escalatedAt: new Date('2026-12-03T04:03:45Z') })).toBe('confirmed_late');
    expect(alarmState({ confirmedAt: null, confirmDueAt: due, escalatedAt: null })).toBe('open');
    expect(alarmState({ confirmedAt: null, confirmDueAt: due, escalatedAt: due })).toBe('escalated');
  });

  it('summarises a window for the inspector (常州 NET-901)', () => {
    const r = dutyRecord([
      { receivedAt: received, confirmDueAt: due, confirmedAt: new Date('2026-12-03T04:01:00Z'), outcome: 'false' },
      { receivedAt: received, confirmDueAt: due, confirmedAt: new Date('2026-12-03T04:06:00Z'), outcome: 'real' },
      { receivedAt: received, confirmDueAt: due, confirmedAt: null, outcome: null },
    ]);
    expect(r).toEqual({ alarms: 3, confirmedInTime: 1, confirmedLate: 1, unconfirmed: 1, falseAlarms: 1, medianMinutes: 3.5 });
    expect(dutyAnswerText(r, { total: 4, impaired: 1 }, 30, 3)).toBe('平台登记物联网设备 4 台（1 台离线或故障超时）。近 30 天报警 3 次：3 分钟内确认 1 次，超时确认 1 次，未确认 1 次，误报 1 次；确认用时中位数 3.5 分钟。');
    expect(dutyAnswerText(dutyRecord([]), { total: 0, impaired: 0 }, 30, 3)).toMatch(/未登记该机构的消防物联网设备/);
    expect(dutyAnswerText(dutyRecord([]), { total: 2, impaired: 0 }, 30, 3)).toBe('平台登记物联网设备 2 台。近 30 天无报警。');
  });
});
