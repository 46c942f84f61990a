import { PolicyPack } from '@pulumi/policy';
import { STARS_POLICIES } from './policies';

/** Run with: pulumi preview --policy-pack policy (from the project root). */
new PolicyPack('stars-policies', { policies: STARS_POLICIES });
