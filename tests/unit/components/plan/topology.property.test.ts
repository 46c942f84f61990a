import fc from 'fast-check';
import { mesosQuorum } from '../../../../components/plan/topology';

describe('mesosQuorum, for any number of masters', () => {
  test('is the smallest strict majority: two quorums always share a master, and one fewer is not a majority', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const q = mesosQuorum(n);
        return q <= n && 2 * q > n && 2 * (q - 1) <= n;
      }),
    );
  });

  test('refuses what is not a positive whole number of masters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true, noNaN: true })), (n) => {
        expect(() => mesosQuorum(n)).toThrow(`cannot form a quorum of ${n} masters`);
      }),
    );
  });
});
