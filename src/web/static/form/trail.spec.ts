import { fillSteps, noteStep, setFix, submittedTrail } from './trail.js';
import { newDraft, setField, setResult, submissionPayload } from './draft.js';

const item = { code: 'FS-001', title: { zh: 'FS-001' }, severity: 'general' as const };
const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 2, 0, 0) + s * 1000);

describe('answer trail on the device (trail.js)', () => {
  afterEach(() => setFix(null));

  it('records each answer with the position fixed close in time, and sends it with the submission', () => {
    const d = newDraft('x');
    setFix({ lat: 31.78, lng: 119.95, acc: 21.6, time: at(0).getTime() });
    setResult(d, item, 'pass', at(10));
    setResult(d, item, 'fail', at(200));
    const trail = d.answers['FS-001'].trail!;
    expect(trail).toEqual([
      { at: at(10).toISOString(), f: 'result', lat: 31.78, lng: 119.95, acc: 22 },
      { at: at(200).toISOString(), f: 'result' }, // the fix is more than two minutes old
    ]);
    const body = submissionPayload(d, ['FS-001'], []);
    expect(body.responses[0].trail).toEqual(trail);
  });

  it('folds typing in one field into one step and stamps steps with a position that arrives later', () => {
    const d = newDraft('x');
    setResult(d, item, 'fail', at(0));
    const a = d.answers['FS-001'];
    noteStep(a, 'note', at(5)); noteStep(a, 'note', at(20)); noteStep(a, 'note', at(50));
    expect(a.trail!.map((s) => s.f)).toEqual(['result', 'note']);
    expect(a.trail![1].at).toBe(at(50).toISOString());
    expect(fillSteps(d, { lat: 1, lng: 2, time: at(30).getTime() })).toBe(2);
    expect(a.trail!.every((s) => s.lat === 1)).toBe(true);
  });

  it('keeps the first step and the latest when an answer changes many times; an old draft sends none', () => {
    const a: { photos: never[]; trail?: { at: string; f: string }[] } = { photos: [] };
    for (let i = 0; i < 30; i++) noteStep(a as never, i % 2 ? 'result' : 'scope', at(i * 120));
    expect(a.trail).toHaveLength(20);
    expect(a.trail![0].at).toBe(at(0).toISOString());
    expect(a.trail![19].at).toBe(at(29 * 120).toISOString());
    expect(submittedTrail({ photos: [] })).toBeUndefined();
    const d = newDraft('x');
    setField(d, item, 'note', 'x');
    expect(d.answers['FS-001'].trail).toHaveLength(1);
  });

  it('names a bulk step bulkPass / bulkNa (a tap stays result) and sends it as it is', () => {
    const d = newDraft('x');
    setResult(d, item, 'pass', at(0), 'bulkPass');
    setResult(d, item, 'na', at(100), 'bulkNa');
    setResult(d, item, 'fail', at(200));
    expect(d.answers['FS-001'].trail!.map((s) => s.f)).toEqual(['bulkPass', 'bulkNa', 'result']);
    expect(submittedTrail(d.answers['FS-001'])!.map((s) => s.f)).toEqual(['bulkPass', 'bulkNa', 'result']);
  });
});
