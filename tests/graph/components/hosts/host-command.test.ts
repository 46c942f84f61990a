import * as command from '@pulumi/command';
import commandPackage from '@pulumi/command/package.json';
import * as pulumi from '@pulumi/pulumi';
import {
  LOCAL_COMMAND_TYPE,
  LocalCommand,
  REMOTE_COMMAND_TYPE,
  RemoteCommand,
} from '../../../../components/hosts/host-command';
import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { registerForParity, registration, type Extra } from '../../parity';

jest.setTimeout(60_000);

// The same commands, once through @pulumi/command's classes and once through the lean ones.
function registerBoth() {
  return registerForParity('command-parity', () => {
    const connection = { host: '10.0.0.1', user: 'stars', privateKey: pulumi.secret('KEY'), port: 2222 };
    const remote: command.remote.CommandArgs = {
      connection,
      create: 'bash -s -- create',
      update: 'bash -s -- update',
      stdin: pulumi.secret('script with a login'),
      triggers: ['abc'],
    };
    const local: command.local.CommandArgs = { create: 'bash -s -- create', stdin: 'script' };
    const opts = { dependsOn: [], deleteBeforeReplace: true, additionalSecretOutputs: ['stdout'] };
    new command.remote.Command('sdk-remote', remote, opts);
    new RemoteCommand('lean-remote', remote, opts);
    new command.local.Command('sdk-local', local, opts);
    new LocalCommand('lean-local', local, opts);
  });
}

describe('the lean command classes register what @pulumi/command registers', () => {
  let run: ProgramRun;
  let extra: Map<string, Extra>;
  beforeAll(async () => {
    ({ run, extra } = await registerBoth());
  });

  const pick = (name: string) => registration(run, extra, name);

  test.each([
    ['remote', 'sdk-remote', 'lean-remote', REMOTE_COMMAND_TYPE],
    ['local', 'sdk-local', 'lean-local', LOCAL_COMMAND_TYPE],
  ])(
    '%s: same type token, inputs (secrets still secret), options and plugin version',
    (_kind, sdk, lean, type) => {
      expect(pick(lean)).toEqual(pick(sdk));
      expect(pick(lean).type).toBe(type);
      expect(pick(lean).version).toBe(commandPackage.version);
    },
  );

  test('the connection gets the SDK defaults and stays secret', () => {
    expect(pick('lean-remote').inputs.connection).toBe('[secret]');
    expect(pick('lean-remote').revealed.connection).toEqual({
      dialErrorLimit: 10,
      host: '10.0.0.1',
      perDialTimeout: 15,
      port: 2222,
      privateKey: 'KEY',
      user: 'stars',
    });
  });
});
