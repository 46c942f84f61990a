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
      `no stack config at ${path.join(dir, 'Pulumi.nope.yaml')}; create Pulumi.nope.yaml or pass --config-file`,
    );
  });

  test('--config-file replaces the stack file', () => {
    const dir = project({ 'Pulumi.yaml': PROJECT, 'other.yaml': 'config:\n  stars:mode: aws\n' });
    expect(loadStackConfig(dir, 'x', path.join(dir, 'other.yaml')).values['stars:mode']).toBe('aws');
  });
});
