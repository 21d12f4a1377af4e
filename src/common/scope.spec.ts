import { divisionScope, scopeCondition } from './scope';

describe('scopeCondition', () => {
  const columns = { divisionPath: 'h.division_path', institutionId: 'h.institution_id' };

  it('renders a division scope as its subtree, positionally after the values already bound', () => {
    const values: unknown[] = ['some-id'];
    expect(scopeCondition(divisionScope('/320400/320402/'), columns).bind(values)).toBe('h.division_path LIKE $2');
    expect(values).toEqual(['some-id', '/320400/320402/%']);
  });

  it('renders an institution scope as its own institution', () => {
    const c = scopeCondition({ kind: 'institution', institutionId: 'i-1', path: '/320400/320402/' }, columns);
    expect(c.sql).toMatch(/^h\.institution_id = :scope\d+$/);
    expect(Object.values(c.params)).toEqual(['i-1']);
  });

  it('limits an institution scope to its own division where rows have no institution', () => {
    const values: unknown[] = [];
    expect(scopeCondition({ kind: 'institution', institutionId: 'i-1', path: '/320400/320402/' }, { divisionPath: 'd.path' }).bind(values)).toBe('d.path = $1');
    expect(values).toEqual(['/320400/320402/']);
  });

  it('names the parameter of each condition apart, so one query may hold two', () => {
    const a = scopeCondition(divisionScope('/1/'), columns);
    const b = scopeCondition(divisionScope('/2/'), columns);
    expect(Object.keys(a.params)[0]).not.toBe(Object.keys(b.params)[0]);
  });
});
