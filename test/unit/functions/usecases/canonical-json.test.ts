import { canonicalJson } from '../../../../functions/src/usecases/start-process';

describe('canonicalJson', () => {
  it('writes the same text when two objects differ only in key order', () => {
    // prepare
    const a = { type: 'SUBGOAL_GENERATION', input: { goal: { title: 't', description: 'd', deadline: '2027-01-01' } } };
    const b = { input: { goal: { deadline: '2027-01-01', description: 'd', title: 't' } }, type: 'SUBGOAL_GENERATION' };

    // act + assess
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('sorts keys at every depth, including objects inside arrays', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it('keeps array order when arrays differ only in order', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('leaves out undefined members as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  describe.each([
    ['a different value', { a: 'x' }, { a: 'y' }],
    ['a different type', { a: 1 }, { a: '1' }],
    ['a missing member', { a: 1, b: null }, { a: 1 }],
    ['a key that contains a quote', { 'a"': 1 }, { a: 1 }],
  ])('with %s', (_name, left, right) => {
    it('writes different text when the values differ', () => {
      expect(canonicalJson(left)).not.toBe(canonicalJson(right));
    });
  });

  it('is valid JSON that parses back to an equal value', () => {
    const value = { z: [1, 'two', { y: true, x: null }], a: 'ü "quoted" \n' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
