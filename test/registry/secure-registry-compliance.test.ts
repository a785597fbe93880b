import { Annotations, App, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { LifecyclePolicy } from '../../src';
import {
  CreationTemplateAppliedFor, FindingSeverity, ReplicationDestination, ScanType, SecureRegistry, UpstreamCredentials, UpstreamRegistry,
} from '../../src/registry';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { DR_ENV, ENV, REPLICA_ENV } from '../helpers';

/** The registry half of the flagship example (see docs/registry-flagship.ts.txt). */
function flagship(app: App): { registryStack: Stack; drStack: Stack; replicaStack: Stack } {
  const registryStack = new Stack(app, 'RegistryStack', { env: ENV });
  const registry = new SecureRegistry(registryStack, 'Registry', {
    scanType: ScanType.ENHANCED,
    scanOnPushFilters: ['*'],
    scanContinuousFilters: ['prod/*'],
    blobMounting: true,
    signingRules: [{ repositoryFilters: ['prod/*'] }],
  });
  registry.replicateTo({ region: REPLICA_ENV.region, repositoryPrefixes: ['prod/'] });
  registry.replicateTo({ region: DR_ENV.region, account: DR_ENV.account, repositoryPrefixes: ['prod/'] });
  registry.addPullThroughCache(UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.placeholder() }));
  registry.addPullThroughCache(UpstreamRegistry.githubContainerRegistry({ credentials: UpstreamCredentials.placeholder() }));
  registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
  registry.addPullThroughCache(UpstreamRegistry.quay());
  registry.addPullThroughCache(UpstreamRegistry.kubernetes());
  registry.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
  const orders = registry.addRepository('ProdOrders', { repositoryName: 'prod/orders', lifecyclePolicy: LifecyclePolicy.secureDefault() });
  registry.addRepository('ProdPayments', { repositoryName: 'prod/payments' });
  registry.addRepository('DevOrders', { repositoryName: 'dev/orders' });
  orders.grantPullToOrganization('o-exampleorg1');
  const ci = new iam.Role(registryStack, 'CiPushRole', { assumedBy: new iam.AccountRootPrincipal() });
  orders.grantPush(ci);
  // The CI role stands in for the caller's own role (GitHubActionsPushRole in the example).
  Validations.of(ci).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'ecr:GetAuthorizationToken has no resource type: AWS only accepts *' });
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
    Validations.of(ci).acknowledge({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason: 'test grantee: the grant goes where the caller keeps its policies' });
  }
  Validations.of(orders).acknowledge({
    id: 'AwsSolutions::AwsSolutions-ECR1',
    reason: 'organization-wide pull: Principal * is limited by an aws:PrincipalOrgID condition, which ECR1 ignores',
  });
  registry.addFindingAlerts({ severities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH] });

  // These destinations declare their registries themselves, and say so: the stacks own them.
  const drStack = new Stack(app, 'DrRegistryStack', { env: DR_ENV });
  const replicaStack = new Stack(app, 'ReplicaRegistryStack', { env: REPLICA_ENV });
  for (const stack of [drStack, replicaStack]) {
    const destination = new ReplicationDestination(stack, 'FromRegistry', {
      sourceAccount: ENV.account, sourceRegion: ENV.region, repositoryPrefixes: ['prod/'],
    });
    Annotations.of(destination).acknowledgeWarning('cdk-secure-registry:destinationOwnsRegistry',
      'this stack is the only owner of the destination registry');
  }
  return { registryStack, drStack, replicaStack };
}

describe('a full registry', () => {
  // cdk init writes the currently recommended feature flags into cdk.json; an older app has none.
  // With @aws-cdk/core:enablePartitionLiterals, ARNs render as arn:aws:..., and every
  // acknowledgment that names a resource must still match.
  test.each([
    ['no feature flags', {}],
    ['the feature flags cdk init writes', CURRENTLY_RECOMMENDED_FLAGS],
  ])('passes the CloudFormation schema and every compliance pack with %s', (_name, flags) => {
    const app = compliantApp({ context: flags });
    flagship(app);
    expect(() => synthCompliant(app)).not.toThrow();
  });

  test('every registry-level resource appears exactly once per environment', () => {
    const { registryStack, drStack, replicaStack } = flagship(new App());
    const t = Template.fromStack(registryStack);
    for (const type of ['AWS::ECR::RegistryScanningConfiguration', 'AWS::ECR::ReplicationConfiguration', 'AWS::ECR::SigningConfiguration']) {
      t.resourceCountIs(type, 1);
    }
    t.resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    t.resourceCountIs('AWS::ECR::PullThroughCacheRule', 5);
    t.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 6);
    const dr = Template.fromStack(drStack);
    dr.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
    dr.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 1);
    dr.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    const replica = Template.fromStack(replicaStack);
    replica.resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    replica.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 1);
  });
});
