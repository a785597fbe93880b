/*
 * Run by scripts/peer-floor/check.sh in a scratch folder where the packed library is installed
 * beside the lowest aws-cdk-lib, constructs and cdk-nag its peer ranges admit. Plain JavaScript,
 * as a JavaScript or jsii user calls the library: a registry with every feature that writes
 * acknowledgments (caches, templates, signing, replication, a push role, alerts) must synthesize
 * with every cdk-nag pack and EcrSupplyChainChecks, with no finding.
 */
const { App, Stack, Validations } = require('aws-cdk-lib');
const nag = require('cdk-nag');
const lib = require('cdk-secure-registry');

const expected = process.argv[2];
const actual = require('aws-cdk-lib/package.json').version;
if (actual !== expected) {
  throw new Error(`expected aws-cdk-lib ${expected}, found ${actual}`);
}

const app = new App();
const env = { account: '111111111111', region: 'us-east-1' };
const stack = new Stack(app, 'RegistryStack', { env });
const registry = new lib.SecureRegistry(stack, 'Registry', {
  scanContinuousFilters: ['prod/*'],
  signingRules: [{ repositoryFilters: ['prod/*'] }],
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

const packs = [
  nag.AwsSolutionsChecks, nag.HIPAASecurityChecks, nag.NIST80053R4Checks, nag.NIST80053R5Checks, nag.PCIDSS321Checks,
  lib.EcrSupplyChainChecks,
];
Validations.of(app).addPlugins(...packs.map((Pack) => new Pack(app, { writeSuppressionsToCloudFormation: true })));
const assembly = app.synth();
console.log(`aws-cdk-lib ${actual}, cdk-nag ${require('cdk-nag/package.json').version}: ` +
  `synthesized ${assembly.stacks.map((s) => s.stackName).join(', ')} with ${packs.length} packs`);
