/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policies --policy-pack-config
 * policies/config/<stack>.json --stack <stack>`. This is the only place the pack is constructed:
 * `new PolicyPack` starts the analyzer's gRPC server, so tests and the offline run import the
 * rules from ./rules instead.
 */
import { PolicyPack } from '@pulumi/policy';
import { PACK, POLICIES } from './rules';

new PolicyPack(PACK.name, {
  description: PACK.description,
  policies: [...POLICIES],
});
