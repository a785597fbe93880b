/**
 * The README's recipes, one function per use case. The code between `// #region <name>` and
 * `// #endregion` is what the README shows, word for word (test/examples/docs-snippets.test.ts checks
 * it), and every recipe is synthesized with every compliance pack by the same test. What lies
 * outside the regions (the stacks, a VPC with flow logs, cdk-nag acknowledgments) is set-up the
 * README does not repeat.
 */
import * as path from 'path';
import {
  App, Aspects, DefaultStackSynthesizer, Stack, Validations,
  aws_ec2 as ec2, aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_kms as kms, aws_logs as logs,
} from 'aws-cdk-lib';
import {
  CreationTemplateAppliedFor, EcrRepositoryGuardrail, GitHubActionsPushRole, GuardrailMode, LifecyclePolicy,
  RegistryBaseline, RegistryEndpoints, RegistryPullRole, ReplicationDestination, SecureRegistry,
  UpstreamCredentials, UpstreamRegistry, VerifiedImage, VerifiedImageSource,
} from '../../src';
import { isolatedVpc, limitGrantsToAwsServices } from '../secure-registry/app';

const PRIMARY = { account: '111111111111', region: 'us-east-1' };
const DR = { account: '222222222222', region: 'eu-west-1' };
const WORKLOAD = { account: '333333333333', region: 'us-east-1' };

/** `ecr:GetAuthorizationToken` is the one action AWS only accepts on `*`. */
function acknowledgeAuthorizationToken(scope: iam.IManagedPolicy | iam.Policy): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
  });
}

/** A multi-account organization registry: every account of the organization pulls, CI pushes. */
export function organizationRegistry(app: App): Stack[] {
  const registryStack = new Stack(app, 'OrgRegistry', { env: PRIMARY });
  // #region organization-registry
  const registry = new SecureRegistry(registryStack, 'Registry', { scanContinuousFilters: ['prod/*'] });
  const orders = registry.addRepository('Orders', { repositoryName: 'prod/orders' });
  orders.grantPullToOrganization('o-exampleorg1'); // Principal * with aws:PrincipalOrgID
  orders.grantPullToAccounts(['333333333333'], { // or named accounts, down to role ARNs
    principalArnPatterns: ['arn:aws:iam::333333333333:role/orders-*'],
  });
  const ci = new GitHubActionsPushRole(registryStack, 'OrdersCi', {
    githubRepository: 'example-org/orders', // token.actions.githubusercontent.com:sub is exact
    branches: ['main'],
    repositories: [orders],
  });
  // #endregion
  acknowledgeAuthorizationToken(ci.policy);
  return [registryStack];
}

/** Disaster recovery: prod/ replicated to another account and Region, which scans it too. */
export function disasterRecovery(app: App): Stack[] {
  const primaryStack = new Stack(app, 'PrimaryRegistry', { env: PRIMARY });
  const drStack = new Stack(app, 'DrRegistry', { env: DR });
  // #region disaster-recovery
  // The DR account (222222222222, eu-west-1): its own registry, open to replication of prod/.
  const drRegistry = new SecureRegistry(drStack, 'Registry');
  new ReplicationDestination(drStack, 'FromPrimary', {
    sourceAccount: '111111111111',
    sourceRegion: 'us-east-1',
    repositoryPrefixes: ['prod/'],
    registry: drRegistry, // adds the registry policy and a REPLICATION creation template
  });

  // The primary account: replicate prod/ there.
  const registry = new SecureRegistry(primaryStack, 'Registry');
  registry.addRepository('Orders', { repositoryName: 'prod/orders' });
  registry.replicateTo({ region: 'eu-west-1', account: '222222222222', repositoryPrefixes: ['prod/'] });
  primaryStack.addStackDependency(drStack); // the destination accepts replicas before any arrive
  // #endregion
  return [primaryStack, drStack];
}

/** Pull-through cache for Docker Hub and GitHub Container Registry. */
export function pullThroughCache(app: App): Stack[] {
  const stack = new Stack(app, 'CacheRegistry', { env: PRIMARY });
  // #region pull-through-cache
  const registry = new SecureRegistry(stack, 'Registry');
  // Each creates a secret ecr-pullthroughcache/<prefix> to fill in after deploy (or pass
  // UpstreamCredentials.fromSecret), and a PULL_THROUGH_CACHE template with the baseline.
  registry.addPullThroughCache(UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.placeholder() }));
  registry.addPullThroughCache(UpstreamRegistry.githubContainerRegistry({ credentials: UpstreamCredentials.placeholder() }));
  // docker pull 111111111111.dkr.ecr.us-east-1.amazonaws.com/docker-hub/library/nginx:1.27
  // docker pull 111111111111.dkr.ecr.us-east-1.amazonaws.com/ghcr/<owner>/<image>:<tag>
  // #endregion
  return [stack];
}

/** Create on push: repositories ECR creates under a prefix get the registry's baseline. */
export function createOnPush(app: App): Stack[] {
  const stack = new Stack(app, 'TeamsRegistry', { env: PRIMARY });
  // #region create-on-push
  const baseline = new RegistryBaseline({
    imageTagMutabilityExclusionFilters: ['latest'], // IMMUTABLE_WITH_EXCLUSION
    lifecyclePolicy: LifecyclePolicy.releaseRetention({ keepReleases: 20 }),
    tags: { 'cost-center': 'platform' },
  });
  const registry = new SecureRegistry(stack, 'Registry', { baseline });
  registry.addCreationTemplate({ prefix: 'teams', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
  // CI may create repositories under teams/ by pushing to them, and nothing else:
  const ci = new GitHubActionsPushRole(stack, 'MonorepoCi', {
    githubRepository: 'example-org/monorepo',
    branches: ['main'],
    repositoryPrefixes: ['teams/'],
    createOnPush: true, // ecr:CreateRepository on repository/teams/* only
  });
  // #endregion
  acknowledgeAuthorizationToken(ci.policy);
  Validations.of(ci.policy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:ecr:us-east-1:111111111111:repository/teams/*]',
    reason: 'create on push: the repositories under teams/ do not exist yet, so the grant names the prefix',
  });
  return [stack];
}

/** Managed signing: ECR signs every image pushed to prod/, with the pusher's identity. */
export function signing(app: App): Stack[] {
  const stack = new Stack(app, 'SignedRegistry', { env: PRIMARY });
  // #region signing
  const registry = new SecureRegistry(stack, 'Registry', {
    signingRules: [{ repositoryFilters: ['prod/*'] }], // creates a Notation signing profile
  });
  const api = registry.addRepository('Api', { repositoryName: 'prod/api' });
  // Pushers get signer:SignPayload on the registry's profile with the push actions (ECR signs
  // with the pusher's identity); so does api.grantPush(role).
  const ci = new GitHubActionsPushRole(stack, 'ApiCi', {
    githubRepository: 'example-org/api',
    branches: ['main'],
    repositories: [api],
  });
  // #endregion
  acknowledgeAuthorizationToken(ci.policy);
  return [stack];
}

/** Private pulls from isolated subnets: a workload account pulls from the registry account. */
export function privatePulls(app: App): Stack[] {
  const stack = new Stack(app, 'Workload', { env: WORKLOAD });
  const { vpc } = isolatedVpc(stack, '10.40.0.0/16'); // with flow logs: see the flagship
  // #region private-pulls
  // ecr.api and ecr.dkr interface endpoints with private DNS, the S3 gateway limited to ECR's
  // layer bucket, and CloudWatch Logs; the endpoint policies allow this registry account only.
  new RegistryEndpoints(stack, 'RegistryEndpoints', { vpc, registryAccounts: ['111111111111'] });

  const orders = ecr.Repository.fromRepositoryArn(stack, 'Orders',
    'arn:aws:ecr:us-east-1:111111111111:repository/prod/orders');
  const executionRole = new RegistryPullRole(stack, 'ExecutionRole', {
    repositories: [orders], // pull actions on prod/orders, ecr:GetAuthorizationToken, no KMS
    roleName: 'orders-task-execution', // named: the registry's grant matches it by ARN
  });
  // new ecs.FargateTaskDefinition(stack, 'Task', { executionRole, ... }), in the isolated subnets,
  // its containers with readonlyRootFilesystem, memoryLimitMiB and a non-root user (see the flagship)
  // #endregion
  acknowledgeAuthorizationToken(executionRole.policy);
  return [stack];
}

/** Adopting the library on an existing app: the guardrail aspect, no repository rewritten. */
export function adoptWithGuardrail(app: App): Stack[] {
  const stack = new Stack(app, 'Legacy', { env: PRIMARY });
  const key = new kms.Key(stack, 'ImagesKey', { enableKeyRotation: true });
  limitGrantsToAwsServices(key); // Control Tower CT.KMS.PR.3
  new ecr.Repository(stack, 'Billing', { repositoryName: 'legacy/billing', encryption: ecr.RepositoryEncryption.KMS, encryptionKey: key });
  // #region adopt-with-guardrail
  // Every ecr.Repository / CfnRepository of the app: immutable tags, scan on push, a lifecycle
  // policy and RETAIN where they are missing; create-only settings (encryption) are reported.
  Aspects.of(app).add(new EcrRepositoryGuardrail({ mode: GuardrailMode.ENFORCE }));
  // #endregion
  return [stack];
}

/**
 * A Dockerfile built by the CDK CLI, published straight into a governed repository, checked at
 * deploy time (scan findings), and run on Fargate by the digest that passed.
 */
export function verifiedImage(app: App): Stack[] {
  const registryStack = new Stack(app, 'AppsRegistry', { env: PRIMARY });
  // The CLI publishes this stack's image assets into apps/orders instead of the bootstrap repository.
  const serviceStack = new Stack(app, 'OrdersService', {
    env: PRIMARY,
    synthesizer: new DefaultStackSynthesizer({ imageAssetsRepositoryName: 'apps/orders' }),
  });
  // The repository exists (and admits the publishing role) before the service's assets are published:
  // deploy AppsRegistry first (`cdk deploy AppsRegistry`, then `cdk deploy OrdersService`).
  serviceStack.addStackDependency(registryStack);
  const ordersApp = path.join(__dirname, 'orders-app'); // Dockerfile + server.js
  const { vpc, logKey } = isolatedVpc(serviceStack, '10.50.0.0/16'); // with flow logs: see the flagship
  new RegistryEndpoints(serviceStack, 'RegistryEndpoints', { vpc, verifiedImageChecks: true });
  const logGroup = new logs.LogGroup(serviceStack, 'OrdersLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey });
  const executionRole = new RegistryPullRole(serviceStack, 'ExecutionRole', {
    repositories: [ecr.Repository.fromRepositoryName(serviceStack, 'AppsOrders', 'apps/orders')],
    logGroups: [logGroup],
  });
  const taskDefinition = new ecs.FargateTaskDefinition(serviceStack, 'Task', { executionRole, cpu: 256, memoryLimitMiB: 512 });
  // #region verified-image
  // Registry stack: the governed repository. The CLI's image publishing role (the bootstrap's)
  // gets a policy here: push (and signer:SignPayload where a signing rule covers the repository),
  // and the lookups the CLI makes before it pushes.
  const registry = new SecureRegistry(registryStack, 'Registry');
  const repository = registry.addRepository('Orders', { repositoryName: 'apps/orders' });
  const publishing = iam.Role.fromRoleName(registryStack, 'ImagePublishing',
    'cdk-hnb659fds-image-publishing-role-111111111111-us-east-1');
  repository.grantPush(publishing);
  repository.grant(publishing, 'ecr:DescribeRepositories', 'ecr:DescribeImages');

  // Service stack: build, publish into apps/orders, refuse the deploy on CRITICAL or HIGH
  // findings, and run the digest that passed.
  const image = new VerifiedImage(serviceStack, 'OrdersImage', {
    repository,
    source: VerifiedImageSource.fromAsset(ordersApp),
    vpc, // the check runs in the isolated subnets, through RegistryEndpoints({ verifiedImageChecks: true })
  });
  taskDefinition.addContainer('orders', {
    image: image.containerImage(), // 111111111111.dkr.ecr.us-east-1.amazonaws.com/apps/orders@sha256:...
    readonlyRootFilesystem: true, // with a memory limit and a non-root user, as Control Tower asks
    memoryLimitMiB: 512,
    user: '1000:1000', // the image's `node` user
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders', logGroup }),
  });
  // #endregion
  acknowledgeAuthorizationToken(executionRole.policy);
  // (named Policy, or Policy<hash> with the importedRoleStackSafeDefaultPolicyName flag)
  const publishingPolicy = publishing.node.children.find((c): c is iam.Policy => c instanceof iam.Policy)!;
  acknowledgeAuthorizationToken(publishingPolicy);
  for (const id of ['HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R4::NIST.800.53.R4-IAMNoInlinePolicy',
    'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', 'PCI.DSS.321::PCI.DSS.321-IAMNoInlinePolicy']) {
    Validations.of(publishingPolicy).acknowledge({
      id, reason: 'the publishing role belongs to the CDK bootstrap stack: a policy attached from here is the way to add to it without editing the bootstrap template',
    });
  }
  const cluster = new ecs.Cluster(serviceStack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const securityGroup = new ec2.SecurityGroup(serviceStack, 'ServiceSecurityGroup', {
    vpc, allowAllOutbound: false, description: 'orders tasks: HTTPS to the VPC endpoints and S3 only',
  });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the endpoints and S3 (isolated subnets: nothing else)');
  new ecs.FargateService(serviceStack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: 1,
    assignPublicIp: false,
    securityGroups: [securityGroup],
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    circuitBreaker: { rollback: true },
    minHealthyPercent: 100,
  });
  return [registryStack, serviceStack];
}

/** Every recipe, by the name of its README region. */
export const RECIPES: Record<string, (app: App) => Stack[]> = {
  'organization-registry': organizationRegistry,
  'disaster-recovery': disasterRecovery,
  'pull-through-cache': pullThroughCache,
  'create-on-push': createOnPush,
  'signing': signing,
  'private-pulls': privatePulls,
  'adopt-with-guardrail': adoptWithGuardrail,
  'verified-image': verifiedImage,
};
