/** A valid on-prem staging stack (3 masters, 1 agent) as raw config, for the parser's tests. */
export const host = (
  name: string,
  address: string,
  roles: string[],
  extra: Record<string, unknown> = {},
) => ({
  name,
  address,
  roles,
  ...extra,
});

export const ONPREM = {
  environment: 'staging',
  mode: 'onprem',
  adminCidrs: ['192.0.2.0/24'],
  hosts: [
    host('m1', '10.0.0.1', ['master']),
    host('m2', '10.0.0.2', ['master']),
    host('m3', '10.0.0.3', ['master']),
    host('a1', '10.0.1.1', ['agent']),
  ],
};

/** A valid AWS production stack as raw config. */
export const AWS = {
  environment: 'production',
  mode: 'aws',
  awsSshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0sbw7kYvXo0cN8mF1tYyq1w5nQ0Jm9Xv2r0Zt0b1cS op',
  adminCidrs: ['203.0.113.0/24'],
};
