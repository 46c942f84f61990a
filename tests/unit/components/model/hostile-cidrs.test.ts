import { IssueList } from '../../../../components/model/issues';
import { canonicalCidr, checkCidrs } from '../../../../components/model/read-values';

function problems(values: string[]): string[] {
  const issues = new IssueList();
  checkCidrs(issues, 'adminCidrs', values);
  return issues.all().map((i) => `${i.path}: ${i.message}`);
}

describe('admin CIDRs that mean "everywhere" or are not what they look like are refused', () => {
  test.each([
    [
      ['0.0.0.0/0'],
      'adminCidrs[0]: "0.0.0.0/0" opens admin ports to the whole internet; list your office or VPN ranges (at most /8 each)',
    ],
    [
      ['0.0.0.0/1', '128.0.0.0/1'],
      'adminCidrs[0]: "0.0.0.0/1" opens admin ports to 1/2 of the internet; list your office or VPN ranges (at most /8 each)',
    ],
    [
      ['64.0.0.0/2'],
      'adminCidrs[0]: "64.0.0.0/2" opens admin ports to 1/4 of the internet; list your office or VPN ranges (at most /8 each)',
    ],
    [['10.1.2.3/8'], 'adminCidrs[0]: "10.1.2.3/8" has host bits set; write the network, 10.0.0.0/8'],
    [
      ['10.0.0.0/08'],
      'adminCidrs[0]: "10.0.0.0/08" is not an IPv4 CIDR such as 10.0.0.0/8 (IPv4 only; the prefix a number 0-32 without leading zeros)',
    ],
    [
      ['::/0'],
      'adminCidrs[0]: "::/0" is not an IPv4 CIDR such as 10.0.0.0/8 (IPv4 only; the prefix a number 0-32 without leading zeros)',
    ],
    [
      ['0/0'],
      'adminCidrs[0]: "0/0" is not an IPv4 CIDR such as 10.0.0.0/8 (IPv4 only; the prefix a number 0-32 without leading zeros)',
    ],
    [
      ['010.0.0.0/8'],
      'adminCidrs[0]: "010.0.0.0/8" is not an IPv4 CIDR such as 10.0.0.0/8 (IPv4 only; the prefix a number 0-32 without leading zeros)',
    ],
    [
      ['10.0.0.0/33'],
      'adminCidrs[0]: "10.0.0.0/33" is not an IPv4 CIDR such as 10.0.0.0/8 (IPv4 only; the prefix a number 0-32 without leading zeros)',
    ],
    [['192.0.2.0/24', '192.0.2.0/24'], 'adminCidrs[1]: "192.0.2.0/24" is listed twice (also adminCidrs[0])'],
  ])('%j', (values, first) => {
    expect(problems(values)[0]).toBe(first);
  });

  test('both halves of the internet are each refused', () => {
    expect(problems(['0.0.0.0/1', '128.0.0.0/1']).length).toBe(2);
  });

  test.each([[['10.0.0.0/8']], [['192.0.2.0/24', '198.51.100.7/32']]])('%j is accepted', (values) => {
    expect(problems(values)).toEqual([]);
  });

  test('canonicalCidr clears host bits', () => {
    expect(canonicalCidr('172.16.5.4/12')).toBe('172.16.0.0/12');
  });
});
