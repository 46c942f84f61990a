import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadStackConfig, SECRET_PLACEHOLDER, StackConfigError } from '../../../../scripts/lib/stack-config';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stars-stack-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const PROJECT = [
  'name: stars',
  'runtime: nodejs',
  'config:',
  '  stars:mode:',
  '    type: string',
  '    default: local',
  '  stars:sshPort:',
  '    type: integer',
  '    default: 22',
  '',
].join('\n');

describe('loadStackConfig reads config the way the CLI hands it to the program', () => {
  test('project defaults first, stack values over them, structured values as JSON, secure values as placeholders', () => {
    const dir = project({
      'Pulumi.yaml': PROJECT,
      'Pulumi.s.yaml': [
        'config:',
        '  stars:mode: onprem',
        '  stars:hosts:',
        '    - name: m1',
        '  stars:sshPrivateKey:',
        '    secure: v1:abc',
        '',
      ].join('\n'),
    });
    expect(loadStackConfig(dir, 's')).toEqual({
      project: 'stars',
      file: path.join(dir, 'Pulumi.s.yaml'),
      values: {
        'stars:mode': 'onprem',
        'stars:sshPort': '22',
        'stars:hosts': '[{"name":"m1"}]',
        'stars:sshPrivateKey': SECRET_PLACEHOLDER,
      },
      secretKeys: ['stars:sshPrivateKey'],
    });
  });

  test('a missing stack file names the file and the fix', () => {
    const dir = project({ 'Pulumi.yaml': PROJECT });
    expect(() => loadStackConfig(dir, 'nope')).toThrow(StackConfigError);
    expect(() => loadStackConfig(dir, 'nope')).toThrow(
      `no stack config at ${path.join(dir, 'Pulumi.nope.yaml')}; create Pulumi.nope.yaml (copy Pulumi.staging.yaml and replace its hosts and CIDRs) or pass --config-file`,
    );
  });

  test('--config-file replaces the stack file', () => {
    const dir = project({ 'Pulumi.yaml': PROJECT, 'other.yaml': 'config:\n  stars:mode: aws\n' });
    expect(loadStackConfig(dir, 'x', path.join(dir, 'other.yaml')).values['stars:mode']).toBe('aws');
  });
});

describe('a stack file whose settings are not under config: is refused with the line and the fix', () => {
  test.each([
    [
      'settings without the config: wrapper',
      ['stars:mode: onprem', 'stars:sshPort: 2222', ''].join('\n'),
      ':1: "stars:mode" is not a stack file setting; put the stack\'s settings under "config:" (indented below it, as in Pulumi.staging.yaml)',
    ],
    [
      'one setting left outside config:',
      ['config:', '  stars:mode: onprem', 'stars:sshPort: 2222', ''].join('\n'),
      ':3: "stars:sshPort" is not a stack file setting',
    ],
    [
      'config: that is a list',
      ['config:', '  - stars:mode', ''].join('\n'),
      ': "config:" must be a mapping of key: value',
    ],
  ])('%s', (_what, content, message) => {
    const dir = project({ 'Pulumi.yaml': PROJECT, 'Pulumi.s.yaml': content });
    expect(() => loadStackConfig(dir, 's')).toThrow(StackConfigError);
    expect(() => loadStackConfig(dir, 's')).toThrow(`${path.join(dir, 'Pulumi.s.yaml')}${message}`);
  });

  test('the settings Pulumi itself writes next to config: are accepted', () => {
    const dir = project({
      'Pulumi.yaml': PROJECT,
      'Pulumi.s.yaml': ['encryptionsalt: v1:abc', 'config:', '  stars:mode: onprem', ''].join('\n'),
    });
    expect(loadStackConfig(dir, 's').values['stars:mode']).toBe('onprem');
  });
});

describe('YAML the engine would read differently, or without bound, is refused with the line', () => {
  test.each([
    [
      'an anchor and its alias',
      ['config:', '  stars:adminCidrs: &ops', '    - 10.1.0.0/16', '  stars:edgeUsers: *ops', ''].join('\n'),
      ':3: this value carries the anchor &ops, which is for aliases; stack files take neither, so remove it and write values out',
    ],
    [
      'a merge key',
      ['config:', '  stars:appSettings:', '    livy:', '      <<: {cpus: 2}', ''].join('\n'),
      ':4: "<<" merges another mapping, which Pulumi\'s engine and this tool read differently; write the keys out',
    ],
    [
      'a duplicate key (the engine would refuse it too)',
      ['config:', '  stars:mode: onprem', '  stars:mode: aws', ''].join('\n'),
      'cannot read',
    ],
  ])('%s', (_what, content, message) => {
    const dir = project({ 'Pulumi.yaml': PROJECT, 'Pulumi.s.yaml': content });
    const file = path.join(dir, 'Pulumi.s.yaml');
    expect(() => loadStackConfig(dir, 's')).toThrow(
      message.startsWith(':') ? `${file}${message}` : `${message} ${file}`,
    );
  });

  test('YAML 1.1 booleans stay strings, which the config reader then refuses as booleans', () => {
    const dir = project({ 'Pulumi.yaml': PROJECT, 'Pulumi.s.yaml': 'config:\n  stars:hostFirewall: yes\n' });
    expect(loadStackConfig(dir, 's').values['stars:hostFirewall']).toBe('yes');
  });
});
