/*
 * Run by scripts/peer-floor/check.sh in a scratch folder where the packed library is installed
 * beside the lowest aws-cdk-lib, constructs, cdk-nag and @cdklabs/cdk-validator-cfnguard its peer
 * ranges admit. Plain JavaScript, as a JavaScript or jsii user calls the library: a registry with
 * every feature that writes acknowledgments (caches, templates, signing, replication, a push role,
 * alerts, account settings) must synthesize under the public ComplianceProfile (every cdk-nag pack,
 * EcrSupplyChainChecks and the Control Tower rules), with no finding.
 */
const { App, Stack, Validations } = require('aws-cdk-lib');
const lib = require('cdk-secure-registry');

const expected = process.argv[2];
const actual = require('aws-cdk-lib/package.json').version;
if (actual !== expected) {
  throw new Error(`expected aws-cdk-lib ${expected}, found ${actual}`);
}

const app = new App();
const profile = lib.ComplianceProfile.apply(app, { controlTower: true });
const env = { account: '111111111111', region: 'us-east-1' };
const stack = new Stack(app, 'RegistryStack', { env });
const registry = new lib.SecureRegistry(stack, 'Registry', {
  scanContinuousFilters: ['prod/*'],
  signingRules: [{ repositoryFilters: ['prod/*'] }],
  blobMounting: true,
});
registry.addPullThroughCache(lib.UpstreamRegistry.ecrPublic());
registry.addPullThroughCache(lib.UpstreamRegistry.dockerHub({ credentials: lib.UpstreamCredentials.placeholder() }));
registry.addCreationTemplate({ prefix: 'sandbox', appliedFor: [lib.CreationTemplateAppliedFor.CREATE_ON_PUSH] });
registry.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
const orders = registry.addRepository('Orders', { repositoryName: 'prod/orders', lifecyclePolicy: lib.LifecyclePolicy.releaseRetention() });
orders.grantPullToOrganization('o-exampleorg1');
const ci = new lib.GitHubActionsPushRole(stack, 'Ci', { githubRepository: 'example-org/orders', repositories: [orders] });
Validations.of(ci.policy).acknowledge({
  id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
  reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
});
registry.addFindingAlerts();
// The check's handler bundle ships in the package (lib/verified-image/bundle), and the function's
// runtime and the custom resource's ServiceTimeout exist on the floor.
new lib.VerifiedImage(stack, 'OrdersImage', { repository: orders, source: lib.VerifiedImageSource.fromTag('v1') });
const replica = new Stack(app, 'ReplicaRegistryStack', { env: { account: env.account, region: 'us-west-2' } });
new lib.ReplicationDestination(replica, 'FromRegistry', { sourceAccount: env.account, repositoryPrefixes: ['prod/'] });

const report = profile.synth();
console.log(`aws-cdk-lib ${actual}, cdk-nag ${require('cdk-nag/package.json').version}, ` +
  `cdk-validator-cfnguard ${require('@cdklabs/cdk-validator-cfnguard/package.json').version}: ` +
  `synthesized ${report.assembly.stacks.map((s) => s.stackName).join(', ')} with ${report.packs.map((p) => p.name).join(', ')}`);
