/**
 * Directory names that reach httpd.conf, shiro.ini and livy.conf. Each is one token there and one name in an
 * RFC 4516 LDAP URL, so only plain RDNs are accepted: no escapes, multi-valued RDNs, URL syntax (`?`, `#`, `%`)
 * or filter syntax (`*`, `(`, `)`), and no `$` (httpd expands `${…}` in any directive).
 */
const RDN = "[A-Za-z][A-Za-z0-9-]*=[A-Za-z0-9._@'-](?:[A-Za-z0-9 ._@'-]*[A-Za-z0-9._@'-])?";
/** A distinguished name such as `cn=operators,ou=Groups,dc=example,dc=org` (at most 512 characters). */
export const DISTINGUISHED_NAME = new RegExp(`^(?=.{3,512}$)${RDN}(?:,${RDN})*$`);
/** Active Directory also binds with a user principal name, `user@domain`. */
export const USER_PRINCIPAL_NAME = /^(?=.{3,256}$)[A-Za-z0-9._-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

export const DN_RULE =
  'write a distinguished name such as cn=name,ou=Groups,dc=example,dc=org: attribute=value pairs of ' +
  `ASCII letters, digits, spaces, ".", "_", "@", "'" and "-", separated by commas (at most 512 characters)`;
