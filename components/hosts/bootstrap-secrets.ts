import { createHash } from 'crypto';
import * as pulumi from '@pulumi/pulumi';
import { proxyCredentialsProblem } from '../model/parse-package-sources';
import { fillPlaceholders, placeholdersIn } from '../plan/placeholders';
import { PROXY_CREDENTIALS_SECRET } from './render-package-sources';

/** Secret config the bootstrap scripts refer to by placeholder (plans show the placeholder, hosts get the value). */
export interface BootstrapSecrets {
  /** The secret stars:proxyCredentials (user:password). */
  readonly proxyCredentials?: pulumi.Input<string>;
}

/**
 * A bootstrap text with its secret placeholders filled, as a secret Output, or the text itself when it has none.
 * `rerun` changes with the secret's value (a digest, itself secret), so a new proxy password reaches the hosts.
 */
export function filledBootstrap(
  text: string,
  secrets: BootstrapSecrets | undefined,
  host: string,
): { text: pulumi.Input<string>; rerun: pulumi.Input<string>[] } {
  const names = placeholdersIn(text, 'secret');
  if (names.length === 0) return { text, rerun: [] };
  const unknown = names.filter((n) => n !== PROXY_CREDENTIALS_SECRET);
  if (unknown.length > 0)
    throw new Error(`host ${host}: the bootstrap refers to unknown secrets ${unknown.join(', ')}`);
  const credentials = secrets?.proxyCredentials;
  if (credentials === undefined)
    throw new Error(
      `host ${host}: packageSources.proxy takes a login, but stars:proxyCredentials is not set; set it with \`pulumi config set --secret stars:proxyCredentials user:password\``,
    );
  const checked = pulumi.output(credentials).apply((value) => {
    const problem = proxyCredentialsProblem(value);
    if (problem !== undefined) throw new Error(problem);
    return value;
  });
  return {
    text: pulumi.secret(
      checked.apply((value) => fillPlaceholders(text, { secret: { [PROXY_CREDENTIALS_SECRET]: value } })),
    ),
    rerun: [pulumi.secret(checked.apply((value) => createHash('sha256').update(value).digest('hex')))],
  };
}
