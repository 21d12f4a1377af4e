import { LEGACY_POLICY_VALUES, type PolicyValues, type WorkingCalendar } from '../../checklists/domain/policy';
import { addDays } from '../../common/calendar';
import { allowedActions, availability, decide, deadlineRefusal, isOverdue, LifecycleContext, LifecycleHazard } from './hazard-lifecycle';

/** The product policy's independence rules (checklists/product-policy.yaml) on top of the legacy numbers. */
const POLICY: PolicyValues = {
  ...LEGACY_POLICY_VALUES,
  deadlines: { ...LEGACY_POLICY_VALUES.deadlines, generalMaxDays: 60, majorMaxDays: 90, rollToWorkingDay: false },
  verification: { majorExcludesFindingTeam: true, generalExcludesFindingTeam: false, requestsExcludeFindingTeam: true },
};
const MON_FRI: WorkingCalendar = {
  knownYears: [], isWorkingDay: () => true, nextWorkingDay: (d) => d, warnings: () => [],
  addWorkingDays: (d, n) => addDays(d, n),
};

const finder = { id: 'inspector-1', role: 'inspector' as const };
const teamOfficer = { id: 'officer-team', role: 'bureau_officer' as const };
const officer = { id: 'officer-2', role: 'bureau_officer' as const };
const inspector = { id: 'inspector-9', role: 'inspector' as const };
const institution = { id: 'inst-user', role: 'institution' as const };

const hazard = (over: Partial<LifecycleHazard> = {}): LifecycleHazard => ({ status: 'open', severity: 'general', dueDate: '2026-12-20', listed: false, majorStatus: null, ...over });
const ctx = (over: Partial<LifecycleContext> = {}): LifecycleContext => ({
  today: '2026-12-01', now: new Date('2026-12-01T02:00:00Z'), policy: POLICY, calendar: MON_FRI,
  team: [finder.id, teamOfficer.id], responderIds: [], awaitingResponse: false, pendingExtension: null, objection: null,
  objectionDeadline: '2026-12-02', ...over,
});
const refusal = (d: ReturnType<typeof decide>) => (d.ok ? null : d.refusal);

describe('hazard lifecycle: the loop', () => {
  it('moves open → responded → closed, or responded → returned → responded', () => {
    expect(decide(hazard(), 'respond', institution, ctx())).toEqual({ ok: true, status: 'responded', changes: {} });
    expect(decide(hazard({ status: 'returned' }), 'respond', institution, ctx())).toMatchObject({ ok: true, status: 'responded' });
    const responded = hazard({ status: 'responded' });
    const waiting = ctx({ awaitingResponse: true, responderIds: [institution.id] });
    expect(decide(responded, 'accept', officer, waiting)).toMatchObject({ ok: true, status: 'closed', changes: { closureReason: 'verified', listed: false } });
    expect(decide(responded, { type: 'return', reason: '照片不清', newDueDate: '2026-12-10' }, officer, waiting))
      .toMatchObject({ ok: true, status: 'returned', changes: { dueDate: '2026-12-10', escalatedAt: null } });
  });

  it('refuses moves from the wrong status and actions outside the role', () => {
    expect(refusal(decide(hazard(), 'accept', officer, ctx({ awaitingResponse: true })))).toBe('hazard.wrong_status');
    expect(refusal(decide(hazard({ status: 'closed' }), 'respond', institution, ctx()))).toBe('hazard.wrong_status');
    expect(refusal(decide(hazard({ status: 'responded' }), 'accept', officer, ctx({ awaitingResponse: false })))).toBe('hazard.wrong_status');
    expect(decide(hazard({ status: 'responded' }), 'accept', institution, ctx({ awaitingResponse: true }))).toMatchObject({ ok: false, refusal: 'request.forbidden', status: 403 });
    expect(refusal(decide(hazard(), 'change_deadline', inspector, ctx()))).toBe('request.forbidden');
  });

  it('a return needs a reason and a new deadline', () => {
    const waiting = ctx({ awaitingResponse: true });
    expect(decide(hazard({ status: 'responded' }), { type: 'return', newDueDate: '2026-12-10' }, officer, waiting)).toMatchObject({ status: 400, field: 'reason' });
    expect(decide(hazard({ status: 'responded' }), { type: 'return', reason: 'x' }, officer, waiting)).toMatchObject({ status: 400, field: 'newDueDate' });
  });
});

describe('hazard lifecycle: independence', () => {
  const responded = (severity: 'general' | 'major') => hazard({ status: 'responded', severity });
  const waiting = ctx({ awaitingResponse: true, responderIds: ['officer-paper'] });

  it('the finder and a team officer cannot verify a major hazard; someone outside the team can', () => {
    expect(decide(responded('major'), 'accept', finder, waiting)).toMatchObject({ ok: false, refusal: 'hazard.verifier_on_team_major', status: 403 });
    expect(refusal(decide(responded('major'), 'accept', teamOfficer, waiting))).toBe('hazard.verifier_on_team_major');
    expect(refusal(decide(responded('major'), 'return', finder, waiting))).toBe('hazard.verifier_on_team_major');
    expect(decide(responded('major'), 'accept', officer, waiting).ok).toBe(true);
    expect(decide(responded('major'), 'accept', inspector, waiting).ok).toBe(true);
  });

  it('a general hazard follows generalExcludesFindingTeam', () => {
    expect(decide(responded('general'), 'accept', finder, waiting).ok).toBe(true);
    const strict = { ...POLICY, verification: { ...POLICY.verification, generalExcludesFindingTeam: true } };
    expect(refusal(decide(responded('general'), 'accept', finder, { ...waiting, policy: strict }))).toBe('hazard.verifier_on_team');
  });

  it('the responder never verifies, whatever the severity or the policy', () => {
    const lax = { ...POLICY, verification: { majorExcludesFindingTeam: false, generalExcludesFindingTeam: false, requestsExcludeFindingTeam: false } };
    for (const severity of ['general', 'major'] as const) {
      expect(decide(responded(severity), 'accept', { id: 'officer-paper', role: 'bureau_officer' }, { ...waiting, policy: lax }))
        .toMatchObject({ ok: false, refusal: 'hazard.self_verification', status: 403 });
    }
    // an earlier response counts too: anyone who responded to this hazard
    expect(refusal(decide(responded('general'), 'accept', officer, ctx({ awaitingResponse: true, responderIds: ['x', officer.id] })))).toBe('hazard.self_verification');
  });

  it('a team officer cannot decide an extension on his team\'s finding (policy), nor an objection (always)', () => {
    const ext = ctx({ pendingExtension: { requestedDueDate: '2026-12-30' } });
    expect(decide(hazard(), { type: 'extend_decide', approve: true }, teamOfficer, ext)).toMatchObject({ ok: false, refusal: 'extension.decider_on_team', status: 403 });
    expect(decide(hazard(), { type: 'extend_decide', approve: true }, officer, ext)).toMatchObject({ ok: true, changes: { dueDate: '2026-12-30' } });
    const lax = { ...POLICY, verification: { ...POLICY.verification, requestsExcludeFindingTeam: false } };
    expect(decide(hazard(), 'extend_decide', teamOfficer, { ...ext, policy: lax }).ok).toBe(true);

    const obj = ctx({ objection: { status: 'pending' } });
    expect(decide(hazard(), 'object_decide', teamOfficer, obj)).toMatchObject({ ok: false, refusal: 'objection.decider_on_team', status: 403 });
    expect(refusal(decide(hazard(), 'object_decide', teamOfficer, { ...obj, policy: lax }))).toBe('objection.decider_on_team');
    expect(decide(hazard(), { type: 'object_decide', approve: true }, officer, obj)).toMatchObject({ ok: true, status: 'closed', changes: { closureReason: 'objection_upheld', listed: false } });
  });

  it('nothing pending: nothing to decide', () => {
    expect(refusal(decide(hazard(), 'extend_decide', officer, ctx()))).toBe('extension.decided');
    expect(refusal(decide(hazard(), 'object_decide', officer, ctx({ objection: { status: 'rejected' } })))).toBe('objection.decided');
  });
});

describe('hazard lifecycle: deadlines', () => {
  it('an officer may not set a deadline in the past (400 naming dueDate) nor beyond the maximum for the severity', () => {
    expect(decide(hazard(), { type: 'change_deadline', dueDate: '2026-11-30' }, officer, ctx())).toMatchObject({ ok: false, status: 400, field: 'dueDate', refusal: 'dateInPast' });
    // general: 60 days from today, the day the deadline is set (2026-12-01) → 2027-01-30
    expect(decide(hazard(), { type: 'change_deadline', dueDate: '2027-01-30' }, officer, ctx())).toMatchObject({ ok: true, changes: { dueDate: '2027-01-30' } });
    expect(decide(hazard(), { type: 'change_deadline', dueDate: '2027-01-31' }, officer, ctx()))
      .toMatchObject({ ok: false, status: 400, field: 'dueDate', refusal: 'deadlineAboveMax', args: ['2027-01-30', '一般', 60] });
    // major: 90 days → 2027-03-01
    expect(decide(hazard({ severity: 'major' }), { type: 'change_deadline', dueDate: '2027-03-01' }, officer, ctx()).ok).toBe(true);
    expect(refusal(decide(hazard({ severity: 'major' }), { type: 'change_deadline', dueDate: '2027-03-02' }, officer, ctx()))).toBe('deadlineAboveMax');
    expect(refusal(decide(hazard({ status: 'closed' }), { type: 'change_deadline', dueDate: '2026-12-10' }, officer, ctx()))).toBe('hazard.wrong_status');
  });

  it('maxima count from the day the deadline is set: a hazard found long ago can still be returned, extended or rescheduled', () => {
    // today 2027-03-10, more than 90 days after the finding (the old rule counted from it and refused everything)
    const late = ctx({ today: '2027-03-10', awaitingResponse: true });
    expect(decide(hazard({ status: 'responded' }), { type: 'return', reason: '照片不清', newDueDate: '2027-03-20' }, officer, late))
      .toMatchObject({ ok: true, status: 'returned', changes: { dueDate: '2027-03-20' } });
    // an item whose default is already the 90-day maximum can be extended (requested 2027-03-25, due 2027-03-15)
    const due = hazard({ severity: 'major', dueDate: '2027-03-15' });
    expect(decide(due, { type: 'extend_request', requestedDueDate: '2027-03-25' }, institution, late).ok).toBe(true);
    expect(decide(due, { type: 'extend_decide', approve: true }, officer, { ...late, pendingExtension: { requestedDueDate: '2027-03-25' } }))
      .toMatchObject({ ok: true, changes: { dueDate: '2027-03-25' } });
    expect(decide(due, { type: 'change_deadline', dueDate: '2027-04-01' }, officer, late).ok).toBe(true);
    // still never in the past
    expect(refusal(decide(due, { type: 'change_deadline', dueDate: '2027-03-09' }, officer, late))).toBe('dateInPast');
  });

  it('an approved extension is re-checked at the decision (beyond the maximum → 400 naming requestedDueDate)', () => {
    expect(decide(hazard(), { type: 'extend_decide', approve: true }, officer, ctx({ pendingExtension: { requestedDueDate: '2027-06-01' } })))
      .toMatchObject({ ok: false, status: 400, field: 'requestedDueDate', refusal: 'deadlineAboveMax' });
  });

  it('a member of the finding team may not change the deadline of the team\'s finding (requestsExcludeFindingTeam)', () => {
    expect(decide(hazard(), { type: 'change_deadline', dueDate: '2026-12-30' }, teamOfficer, ctx()))
      .toMatchObject({ ok: false, refusal: 'hazard.deadline_changer_on_team', status: 403 });
    expect(refusal(decide(hazard(), 'change_deadline', teamOfficer, ctx()))).toBe('hazard.deadline_changer_on_team');
    expect(decide(hazard(), { type: 'change_deadline', dueDate: '2026-12-30' }, officer, ctx()).ok).toBe(true);
    const lax = { ...POLICY, verification: { ...POLICY.verification, requestsExcludeFindingTeam: false } };
    expect(decide(hazard(), { type: 'change_deadline', dueDate: '2026-12-30' }, teamOfficer, ctx({ policy: lax })).ok).toBe(true);
  });

  it('a returned hazard\'s new deadline obeys the same limits', () => {
    const waiting = ctx({ awaitingResponse: true });
    expect(decide(hazard({ status: 'responded' }), { type: 'return', reason: 'x', newDueDate: '2026-11-30' }, officer, waiting)).toMatchObject({ field: 'newDueDate', refusal: 'dateInPast' });
    expect(decide(hazard({ status: 'responded' }), { type: 'return', reason: 'x', newDueDate: '2099-12-31' }, officer, waiting)).toMatchObject({ field: 'newDueDate', refusal: 'deadlineAboveMax' });
  });

  it('a rolled latest due date follows the calendar', () => {
    const calendar: WorkingCalendar = { ...MON_FRI, nextWorkingDay: (d) => (d === '2027-01-24' ? '2027-01-25' : d) };
    const rolling = { ...POLICY, deadlines: { ...POLICY.deadlines, rollToWorkingDay: true } };
    const cal: WorkingCalendar = { ...calendar, nextWorkingDay: (d) => (d === '2027-01-30' ? '2027-02-01' : d) };
    expect(deadlineRefusal('2027-02-01', 'general', { policy: rolling, calendar: cal, today: '2026-12-01' })).toBeNull();
    expect(deadlineRefusal('2027-02-02', 'general', { policy: rolling, calendar: cal, today: '2026-12-01' })).toMatchObject({ reason: 'deadlineAboveMax' });
  });

  it('extensions: only before the deadline, to a later date within the maximum, one at a time', () => {
    const ask = (d: string) => ({ type: 'extend_request' as const, requestedDueDate: d });
    expect(decide(hazard(), ask('2026-12-30'), institution, ctx()).ok).toBe(true);
    expect(decide(hazard(), ask('2026-12-20'), institution, ctx())).toMatchObject({ status: 400, field: 'requestedDueDate', refusal: 'extensionNotLater' });
    expect(decide(hazard(), ask('2099-01-01'), institution, ctx())).toMatchObject({ status: 400, field: 'requestedDueDate', refusal: 'deadlineAboveMax' });
    expect(refusal(decide(hazard(), ask('2026-12-30'), institution, ctx({ today: '2026-12-21' })))).toBe('hazard.extensionAfterDeadline');
    expect(refusal(decide(hazard({ status: 'responded' }), ask('2026-12-30'), institution, ctx()))).toBe('hazard.extensionWrongStatus');
    expect(refusal(decide(hazard(), ask('2026-12-30'), institution, ctx({ pendingExtension: { requestedDueDate: '2026-12-25' } })))).toBe('hazard.extension_pending');
  });

  it('overdue: open or returned after the due date, never responded or closed', () => {
    expect(isOverdue({ status: 'open', dueDate: '2026-11-30' }, '2026-11-30')).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: '2026-11-30' }, '2026-12-01')).toBe(true);
    expect(isOverdue({ status: 'returned', dueDate: '2026-11-30' }, '2026-12-01')).toBe(true);
    expect(isOverdue({ status: 'responded', dueDate: '2026-11-30' }, '2026-12-01')).toBe(false);
    expect(isOverdue({ status: 'closed', dueDate: '2026-11-30' }, '2026-12-01')).toBe(false);
  });
});

describe('hazard lifecycle: objections and 挂牌督办', () => {
  const major = hazard({ severity: 'major' });

  it('an objection within the window, once; not on a closed hazard', () => {
    expect(decide(hazard(), 'object', institution, ctx()).ok).toBe(true);
    expect(decide(hazard(), 'object', institution, ctx({ today: '2026-12-03' }))).toMatchObject({ ok: false, refusal: 'hazard.objection_window_closed', params: { deadline: '2026-12-02' } });
    expect(refusal(decide(hazard(), 'object', institution, ctx({ objection: { status: 'rejected' } })))).toBe('hazard.objection_exists');
    expect(refusal(decide(hazard({ status: 'closed' }), 'object', institution, ctx()))).toBe('hazard.wrong_status');
    // a hazard listed before this release comes off the list when an objection is filed
    expect(decide({ ...major, listed: true }, 'object', institution, ctx())).toMatchObject({ ok: true, changes: { listed: false } });
  });

  it('lists a major hazard only after the window closed with no objection pending; only the system lists', () => {
    expect(decide(major, 'list', null, ctx({ today: '2026-12-02' }))).toMatchObject({ ok: false, refusal: 'hazard.objection_window_open' });
    expect(decide(major, 'list', null, ctx({ today: '2026-12-03' }))).toEqual({ ok: true, status: 'open', changes: { listed: true } });
    expect(refusal(decide(major, 'list', null, ctx({ today: '2026-12-09', objection: { status: 'pending' } })))).toBe('hazard.objection_pending');
    expect(decide(major, 'list', null, ctx({ today: '2026-12-02', objection: { status: 'rejected' } })).ok).toBe(true);
    expect(refusal(decide(major, 'list', officer, ctx({ today: '2026-12-03' })))).toBe('request.forbidden');
    expect(refusal(decide(hazard(), 'list', null, ctx({ today: '2026-12-03' })))).toBe('hazard.not_major');
    expect(refusal(decide({ ...major, listed: true }, 'list', null, ctx({ today: '2026-12-03' })))).toBe('hazard.already_listed');
    expect(refusal(decide({ ...major, status: 'closed' }, 'list', null, ctx({ today: '2026-12-03' })))).toBe('hazard.wrong_status');
  });

  it('a rejected objection lists the major hazard at once; an upheld one closes it, never listed', () => {
    const pending = ctx({ objection: { status: 'pending' } });
    expect(decide(major, { type: 'object_decide', approve: false }, officer, pending)).toEqual({ ok: true, status: 'open', changes: { listed: true } });
    expect(decide(hazard(), { type: 'object_decide', approve: false }, officer, pending)).toEqual({ ok: true, status: 'open', changes: {} });
    expect(decide(major, { type: 'object_decide', approve: true }, officer, pending)).toMatchObject({ ok: true, status: 'closed', changes: { listed: false } });
  });

  it('never lists before a notice was served: without a notice the window has not started (an objection may still be filed)', () => {
    const noNotice = ctx({ today: '2027-01-15', objectionDeadline: null, objectionWindowFrom: null });
    expect(decide(major, 'list', null, noNotice)).toMatchObject({ ok: false, refusal: 'hazard.no_notice' });
    expect(decide(major, 'object', institution, noNotice).ok).toBe(true);
    // a rejected objection lists at once only once the notice was served
    const pendingNoNotice = { ...noNotice, objection: { status: 'pending' as const } };
    expect(decide(major, { type: 'object_decide', approve: false }, officer, pendingNoNotice)).toEqual({ ok: true, status: 'open', changes: {} });
    expect(refusal(decide(major, 'list', null, { ...noNotice, objection: { status: 'rejected' } }))).toBe('hazard.no_notice');
  });

  it('a hazard confirmed major after its window: a rejected objection filed before the confirmation does not end the new window', () => {
    // window reopened at the confirmation (2026-12-10) to 2026-12-15
    const confirmed = hazard({ severity: 'major', majorStatus: 'confirmed' });
    const c = ctx({ objectionWindowFrom: '2026-12-10', objectionDeadline: '2026-12-15', objection: { status: 'rejected', filedOn: '2026-11-28' } });
    expect(decide(confirmed, 'list', null, { ...c, today: '2026-12-12' })).toMatchObject({ ok: false, refusal: 'hazard.objection_window_open' });
    expect(decide(confirmed, 'list', null, { ...c, today: '2026-12-16' }).ok).toBe(true);
    // one filed within the window and rejected ends it
    expect(decide(confirmed, 'list', null, { ...c, today: '2026-12-12', objection: { status: 'rejected', filedOn: '2026-12-11' } }).ok).toBe(true);
  });

  it('the institution may object once more against the major confirmation (round 2), not a third time', () => {
    const confirmed = hazard({ severity: 'major', majorStatus: 'confirmed' });
    const c = ctx({ today: '2026-12-11', objectionWindowFrom: '2026-12-10', objectionDeadline: '2026-12-15', objection: { status: 'rejected', filedOn: '2026-11-28', round: 1 } });
    expect(decide(confirmed, 'object', institution, c).ok).toBe(true);
    expect(refusal(decide(confirmed, 'object', institution, { ...c, objection: { status: 'rejected', filedOn: '2026-12-11', round: 2 } }))).toBe('hazard.objection_exists');
    // still pending from before the confirmation: decided first
    expect(refusal(decide(confirmed, 'object', institution, { ...c, objection: { status: 'pending', filedOn: '2026-11-28', round: 1 } }))).toBe('hazard.objection_exists');
    // not confirmed major (or the objection came after the confirmation): one objection only
    expect(refusal(decide(hazard({ severity: 'major' }), 'object', institution, c))).toBe('hazard.objection_exists');
    expect(refusal(decide(confirmed, 'object', institution, { ...c, objection: { status: 'rejected', filedOn: '2026-12-10', round: 1 } }))).toBe('hazard.objection_exists');
  });

  it('a suspected major hazard is not listed before it is confirmed', () => {
    expect(refusal(decide(hazard({ majorStatus: 'suspected' }), 'list', null, ctx({ today: '2026-12-09' })))).toBe('hazard.not_major');
    expect(decide(hazard({ severity: 'major', majorStatus: 'confirmed' }), 'list', null, ctx({ today: '2026-12-09' })).ok).toBe(true);
  });

  it('plans: only for a major hazard not closed', () => {
    expect(decide(major, 'plan_submit', institution, ctx()).ok).toBe(true);
    expect(refusal(decide(hazard(), 'plan_submit', institution, ctx()))).toBe('hazard.not_major');
  });
});

describe('hazard lifecycle: 疑似重大隐患', () => {
  const suspected = hazard({ majorStatus: 'suspected' });

  it('confirmed against a criterion, or downgraded with a reason, by a bureau officer not on the team', () => {
    expect(decide(suspected, { type: 'confirm_major', criterion: 'MZ2023-4.2' }, officer, ctx()))
      .toMatchObject({ ok: true, status: 'open', changes: { majorStatus: 'confirmed', severity: 'major', majorCriterion: 'MZ2023-4.2', majorDecidedBy: officer.id } });
    expect(decide(suspected, { type: 'downgrade_major', reason: '不构成重大隐患' }, officer, ctx()))
      .toMatchObject({ ok: true, changes: { majorStatus: 'downgraded', majorDecisionReason: '不构成重大隐患' } });
    expect(decide(suspected, { type: 'confirm_major', criterion: ' ' }, officer, ctx())).toMatchObject({ status: 400, field: 'criterion' });
    expect(decide(suspected, { type: 'downgrade_major', reason: '' }, officer, ctx())).toMatchObject({ status: 400, field: 'reason' });
    expect(refusal(decide(suspected, 'confirm_major', teamOfficer, ctx()))).toBe('hazard.major_decider_on_team');
    expect(refusal(decide(suspected, 'confirm_major', inspector, ctx()))).toBe('request.forbidden');
    expect(refusal(decide(hazard({ majorStatus: 'confirmed', severity: 'major' }), 'confirm_major', officer, ctx()))).toBe('hazard.not_suspected');
    expect(refusal(decide(hazard(), 'downgrade_major', officer, ctx()))).toBe('hazard.not_suspected');
  });
});

describe('hazard lifecycle: 销号 of a 疑似重大隐患', () => {
  it('refuses accept while the major decision is pending (409); return stays possible; decided → accept', () => {
    const waiting = ctx({ awaitingResponse: true, responderIds: [institution.id] });
    expect(decide(hazard({ status: 'responded', majorStatus: 'suspected' }), 'accept', officer, waiting))
      .toMatchObject({ ok: false, refusal: 'hazard.accept_suspected', status: 409 });
    expect(decide(hazard({ status: 'responded', majorStatus: 'suspected' }), { type: 'return', reason: '待认定', newDueDate: '2026-12-10' }, officer, waiting).ok).toBe(true);
    expect(decide(hazard({ status: 'responded', majorStatus: 'downgraded' }), 'accept', officer, waiting).ok).toBe(true);
  });
});

describe('hazard lifecycle: records without a pinned policy (legacy values)', () => {
  it('keep the independence rules: the finder never verifies a major hazard, a team member never decides an extension', () => {
    const legacy = ctx({ policy: LEGACY_POLICY_VALUES, awaitingResponse: true, responderIds: [institution.id] });
    expect(refusal(decide(hazard({ status: 'responded', severity: 'major' }), 'accept', finder, legacy))).toBe('hazard.verifier_on_team_major');
    expect(refusal(decide(hazard({ status: 'responded' }), 'accept', finder, legacy))).toBe('hazard.verifier_on_team');
    expect(refusal(decide(hazard(), 'extend_decide', teamOfficer, { ...legacy, pendingExtension: { requestedDueDate: '2026-12-25' } }))).toBe('extension.decider_on_team');
    expect(refusal(decide(hazard(), { type: 'change_deadline', dueDate: '2026-12-25' }, teamOfficer, legacy))).toBe('hazard.deadline_changer_on_team');
  });
});

describe('allowedActions', () => {
  it('answers what each person may do now', () => {
    const responded = hazard({ status: 'responded', severity: 'major' });
    const c = ctx({ awaitingResponse: true, responderIds: [institution.id], objection: { status: 'pending' } });
    expect(allowedActions(responded, finder, c)).toEqual([]);
    expect(allowedActions(responded, teamOfficer, c)).toEqual([]);
    expect(allowedActions(responded, officer, c)).toEqual(['accept', 'return', 'object_decide', 'change_deadline']);
    expect(allowedActions(hazard(), institution, ctx())).toEqual(['respond', 'extend_request', 'object']);
    expect(availability(responded, finder, c).find((a) => a.action === 'accept')?.refusal).toMatchObject({ refusal: 'hazard.verifier_on_team_major' });
  });
});
