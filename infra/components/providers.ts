/**
 * One AWS provider per component, carrying the component's default tags (`conventions.ts`).
 * An explicit provider reads no `aws:*` stack config by itself, so the settings the stack may hold
 * (region, profile, allowed accounts, assumed roles) are passed on; credentials still come from
 * the usual chain (environment, profile, SSO).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { componentTags, type TagSettings } from '../specs/conventions';

/** The `aws:*` stack settings an explicit provider must be given. */
function awsStackSettings(region: string): aws.ProviderArgs {
  const cfg = new pulumi.Config('aws');
  const profile = cfg.get('profile');
  const allowedAccountIds = cfg.getObject<string[]>('allowedAccountIds');
  const assumeRoles = cfg.getObject<aws.types.input.ProviderAssumeRole[]>('assumeRoles');
  return {
    region: region as aws.Region,
    ...(profile ? { profile } : {}),
    ...(allowedAccountIds ? { allowedAccountIds } : {}),
    ...(assumeRoles ? { assumeRoles } : {}),
  };
}

export function componentProvider(component: string, stack: string, region: string, tags: TagSettings): aws.Provider {
  return new aws.Provider(`${component}-aws`, {
    ...awsStackSettings(region),
    defaultTags: { tags: componentTags(stack, component, tags) },
  });
}
