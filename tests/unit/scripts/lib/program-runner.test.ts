import { REDACTED, UNKNOWN, plainValue } from '../../../../scripts/lib/program-runner';

// Pulumi's wire format (sdk/nodejs/runtime/rpc.ts): a special-signature key marks secrets, resources and assets.
const SIG = '4dabf18193072939515e22adb298388d';
const secret = (value: unknown) => ({ [SIG]: '1b47061264138c4ac30d75fd1eb44270', value });
const WIRE = {
  zeta: 1,
  connection: secret({ host: '10.0.0.1', privateKey: secret('KEY') }),
  envs: ['A=1', secret('PASSWORD=pw')],
  pending: '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  parent: { [SIG]: '5cf8f73096256a8f31e491e813e4eb8e', urn: 'urn:x' },
  source: { [SIG]: 'c44067f5952c0a294b673a41bacd8c17', text: '#!/bin/sh\n' },
};

describe('plainValue turns wire values into JSON', () => {
  test('by default every secret, however nested, becomes [secret]; keys are sorted', () => {
    const plain = plainValue(WIRE) as Record<string, unknown>;
    expect(plain).toEqual({
      connection: REDACTED,
      envs: ['A=1', REDACTED],
      parent: { resource: 'urn:x' },
      pending: UNKNOWN,
      source: { text: '#!/bin/sh\n' },
      zeta: 1,
    });
    expect(Object.keys(plain)).toEqual(['connection', 'envs', 'parent', 'pending', 'source', 'zeta']);
  });

  test('with reveal, secrets are unwrapped at every depth and the rest is converted the same way', () => {
    expect(plainValue(WIRE, true)).toEqual({
      connection: { host: '10.0.0.1', privateKey: 'KEY' },
      envs: ['A=1', 'PASSWORD=pw'],
      parent: { resource: 'urn:x' },
      pending: UNKNOWN,
      source: { text: '#!/bin/sh\n' },
      zeta: 1,
    });
  });
});
