import * as pulumi from '@pulumi/pulumi';
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { membershipRefusal, type Member } from './plan-membership';

/**
 * Holds the masters' ZooKeeper membership in the stack's state, so a change can be judged against what is
 * deployed. The judgement is in `check`, which the engine calls before it plans any step for the resource; the
 * composition root registers this first and makes the hosts depend on it, so a refused change stops the update
 * before any resource is touched (and `pulumi preview` shows the refusal). The provider is serialized into the
 * state, so it uses only the pure plan-membership module. Bump the version when this code changes.
 */
export const MEMBERSHIP_PROVIDER_VERSION = '1';

interface MembershipInputs {
  readonly members: readonly Member[];
  readonly providerVersion: string;
}

export const membershipProvider: dynamic.ResourceProvider<MembershipInputs, MembershipInputs> = {
  async check(olds, news) {
    const previous = Array.isArray(olds?.members) ? olds.members : [];
    const reason = membershipRefusal(previous, news.members ?? []);
    return { inputs: news, ...(reason === undefined ? {} : { failures: [{ property: 'members', reason }] }) };
  },
  async diff(_id, olds, news) {
    return {
      changes: JSON.stringify(olds) !== JSON.stringify(news),
      replaces: [],
      deleteBeforeReplace: false,
    };
  },
  async create(inputs) {
    return { id: 'masters', outs: inputs };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

export class MembershipGuard extends pulumi.dynamic.Resource {
  constructor(name: string, members: readonly Member[], opts?: pulumi.CustomResourceOptions) {
    super(
      membershipProvider,
      name,
      { members: [...members], providerVersion: MEMBERSHIP_PROVIDER_VERSION },
      opts,
    );
  }
}
