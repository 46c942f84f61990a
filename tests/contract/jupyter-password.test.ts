/**
 * Contract: the Jupyter password hash the program hands the container is one jupyter_server's passwd_check
 * accepts (format from tests/contract/upstream/jupyter), recomputed by Python's own hashlib.
 */
import { spawnSync } from 'child_process';
import { jupyterPasswordHash } from '../../components/apps/render-notebooks';
import { facts } from './support/upstream-facts';
import { reportSkip } from '../support/skips';

const python = spawnSync('sh', ['-c', 'command -v python3']).status === 0;
if (!python) reportSkip('jupyter password hash check: python3 is not installed');

describe('jupyterPasswordHash', () => {
  test('has the <hashlib algorithm>:<salt>:<hex digest> form passwd_check splits', () => {
    expect(facts('jupyter', '2026-07-28').facts.passwordHashCheck.value).toBe(
      '<hashlib algorithm>:<salt>:<hexdigest(passphrase + salt)>',
    );
    expect(jupyterPasswordHash('Pw0123456789abcdefghijkl')).toMatch(/^sha256:[0-9a-f]{12}:[0-9a-f]{64}$/);
  });

  test('is the same for the same password (no diff on every run) and differs between passwords', () => {
    expect(jupyterPasswordHash('a1')).toBe(jupyterPasswordHash('a1'));
    expect(jupyterPasswordHash('a1').split(':')[1]).not.toBe(jupyterPasswordHash('a2').split(':')[1]);
  });

  (python ? test : test.skip)(
    'Python hashlib over passphrase + salt gives the same digest, and not for another password',
    () => {
      const [algorithm, salt, digest] = jupyterPasswordHash('Pw0123456789abcdefghijkl').split(':');
      const check = (pw: string): string =>
        spawnSync(
          'python3',
          [
            '-c',
            'import hashlib,sys; h=hashlib.new(sys.argv[1]); h.update(sys.argv[2].encode("utf-8")+sys.argv[3].encode("ascii")); print(h.hexdigest())',
            algorithm,
            pw,
            salt,
          ],
          { encoding: 'utf8' },
        ).stdout.trim();
      expect(check('Pw0123456789abcdefghijkl')).toBe(digest);
      expect(check('another')).not.toBe(digest);
    },
  );
});
