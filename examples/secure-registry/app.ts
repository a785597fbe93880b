/**
 * Flagship: one secure ECR registry for an organization, across four stacks.
 *
 * - RegistryStack (111111111111, us-east-1): the registry — enhanced scanning, replication of
 *   prod/ to two destinations, pull-through caches, creation templates, managed signing of
 *   prod/, blob mounting, three repositories with a release lifecycle policy, organization
 *   pull, a GitHub Actions push role and alerts on CRITICAL and HIGH findings.
 * - DrRegistryStack (222222222222, eu-west-1): receives prod/ from the registry account.
 * - ReplicaRegistryStack (111111111111, us-west-2): the same account's replica Region.
 * - WorkloadStack (333333333333, us-east-1): an ECS Fargate service in isolated subnets that
 *   pulls prod/orders through VPC endpoints, and nothing else. It deploys prod/orders by digest
 *   through VerifiedImage: a check in the same isolated subnets refuses the deploy while the
 *   image has CRITICAL or HIGH findings or lacks its managed signature.
 *
 * Run: `npm run synth` (writes cdk.out/ and checks every stack with every cdk-nag pack), or
 *      `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/secure-registry/app.ts"`.
 */
import {
  App, Duration, Stack, StackProps, Validations,
  aws_ec2 as ec2, aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_kms as kms, aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CreationTemplateAppliedFor, FindingSeverity, GitHubActionsPushRole, LifecyclePolicy, LifecycleRule,
  RegistryEndpoints, RegistryPullRole, ReplicationDestination, ScanType, SecureRegistry, SecureRepository,
  UpstreamCredentials, UpstreamRegistry, VerifiedImage, VerifiedImageSource,
} from '../../src';

/** Account and Region layout of the example. */
export const REGISTRY_ENV = { account: '111111111111', region: 'us-east-1' };
export const DR_ENV = { account: '222222222222', region: 'eu-west-1' };
export const REPLICA_ENV = { account: '111111111111', region: 'us-west-2' };
export const WORKLOAD_ENV = { account: '333333333333', region: 'us-east-1' };
export const ORGANIZATION_ID = 'o-exampleorg1';
/** Named up front so the registry can grant it before the workload stack exists. */
export const ORDERS_EXECUTION_ROLE_NAME = 'orders-task-execution';
/**
 * The prod/orders image the workload runs, by digest: the release CI pushed (and ECR signed).
 * A deploy with another digest is checked again before the service changes.
 */
export const ORDERS_IMAGE_DIGEST = 'sha256:4a5f0e5c3b2d1a09f8e7d6c5b4a39281706f5e4d3c2b1a091827364554637281';

/** RegistryStack: the one registry of 111111111111/us-east-1. */
export class RegistryStack extends Stack {
  public readonly registry: SecureRegistry;
  public readonly repositories: SecureRepository[];
  public readonly pushRole: GitHubActionsPushRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { ...props, env: REGISTRY_ENV });

    this.registry = new SecureRegistry(this, 'Registry', {
      // Enhanced scanning (Amazon Inspector): continuous for prod/*, on push for the rest.
      scanType: ScanType.ENHANCED,
      scanOnPushFilters: ['*'],
      scanContinuousFilters: ['prod/*'],
      // Layers shared between repositories with the same key are mounted, not uploaded again.
      blobMounting: true,
      // Managed signing: every image pushed to prod/ is signed with a Notation profile.
      signingRules: [{ repositoryFilters: ['prod/*'] }],
    });

    // Replication of prod/: same account to us-west-2 and to 222222222222 in eu-west-1.
    this.registry.replicateTo({ region: REPLICA_ENV.region, repositoryPrefixes: ['prod/'] });
    this.registry.replicateTo({ region: DR_ENV.region, account: DR_ENV.account, repositoryPrefixes: ['prod/'] });

    // Pull-through caches (each with a PULL_THROUGH_CACHE creation template). Docker Hub and GHCR
    // need credentials: a placeholder secret is created, and its owner puts the real token in.
    this.registry.addPullThroughCache(UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.placeholder() }));
    this.registry.addPullThroughCache(UpstreamRegistry.githubContainerRegistry({ credentials: UpstreamCredentials.placeholder() }));
    this.registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    this.registry.addPullThroughCache(UpstreamRegistry.quay());
    this.registry.addPullThroughCache(UpstreamRegistry.kubernetes());

    // Create on push is opt-in: only under sandbox/, with the baseline.
    this.registry.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });

    // prod/ (signed): keep the last 30 release images in standard storage, archive older releases
    // and other images nobody pulled for 90 days; nothing is deleted. No untagged rule: whether
    // one can select a signature on its own is not documented (see LifecycleRule.expireUntagged).
    // dev/ (not signed): keep the last 30 releases and expire untagged images after 7 days.
    const prodPolicy = LifecyclePolicy.releaseRetention({
      keepReleases: 30,
      archiveNotPulledFor: Duration.days(90),
    });
    const devPolicy = new LifecyclePolicy({
      rules: [
        LifecycleRule.keepNewest({ count: 30, tagPatternList: ['v*'] }),
        LifecycleRule.expireUntagged(Duration.days(7)),
      ],
    });
    const prodOrders = this.registry.addRepository('ProdOrders', { repositoryName: 'prod/orders', lifecyclePolicy: prodPolicy });
    const prodPayments = this.registry.addRepository('ProdPayments', { repositoryName: 'prod/payments', lifecyclePolicy: prodPolicy });
    const devOrders = this.registry.addRepository('DevOrders', { repositoryName: 'dev/orders', lifecyclePolicy: devPolicy });
    this.repositories = [prodOrders, prodPayments, devOrders];

    // Every account of the organization may pull prod images (each puller still needs an
    // identity policy), and the workload's execution role gets an explicit grant by ARN pattern.
    prodOrders.grantPullToOrganization(ORGANIZATION_ID);
    prodPayments.grantPullToOrganization(ORGANIZATION_ID);
    prodOrders.grantPullToAccounts([WORKLOAD_ENV.account], {
      principalArnPatterns: [`arn:aws:iam::${WORKLOAD_ENV.account}:role/${ORDERS_EXECUTION_ROLE_NAME}`],
    });

    // CI: GitHub Actions in example-org/orders, branch main, pushes prod/orders and nothing else
    // (with signer:SignPayload, since prod/ is signed).
    this.pushRole = new GitHubActionsPushRole(this, 'OrdersPushRole', {
      githubRepository: 'example-org/orders',
      branches: ['main'],
      repositories: [prodOrders],
    });
    Validations.of(this.pushRole.policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
    });

    // Alerts on CRITICAL and HIGH findings to a KMS-encrypted SNS topic.
    this.registry.addFindingAlerts({ severities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH] });
  }
}

/**
 * A replication destination: another account, or the same account in another Region. Its own
 * registry scans the replicas as the source does, and the destination contributes the
 * REPLICATION creation template (and, for another account, the registry policy) to it.
 */
export class ReplicaStack extends Stack {
  public readonly registry: SecureRegistry;
  public readonly destination: ReplicationDestination;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.registry = new SecureRegistry(this, 'Registry', {
      scanType: ScanType.ENHANCED,
      scanContinuousFilters: ['prod/*'],
    });
    this.destination = new ReplicationDestination(this, 'FromRegistry', {
      sourceAccount: REGISTRY_ENV.account,
      sourceRegion: REGISTRY_ENV.region,
      repositoryPrefixes: ['prod/'],
      registry: this.registry,
    });
  }
}

/**
 * An isolated VPC (no NAT, no route out) with flow logs to a KMS-encrypted log group, as the
 * compliance packs require, and the key for the workload's other log groups.
 */
export function isolatedVpc(stack: Stack, cidr: string): { vpc: ec2.Vpc; logKey: kms.Key } {
  const logKey = new kms.Key(stack, 'LogKey', { enableKeyRotation: true, description: 'Workload log groups' });
  logKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
  const flowLogGroup = new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey });
  // Flow-log role with a managed policy: aws-cdk-lib would otherwise write an inline policy.
  const flowLogRole = new iam.Role(stack, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
  new iam.ManagedPolicy(stack, 'FlowLogPolicy', {
    roles: [flowLogRole],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [flowLogGroup.logGroupArn],
    })],
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    // Closing the default security group takes a Lambda-backed custom resource with findings
    // of its own; nothing here uses the default group (acknowledged below).
    restrictDefaultSecurityGroup: false,
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole.withoutPolicyUpdates()) } },
  });
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
    Validations.of(vpc).acknowledge({
      id: `${pack}::${pack}-VPCDefaultSecurityGroupClosed`,
      reason: 'no resource uses the default security group; closing it needs a Lambda custom resource with its own findings',
    });
  }
  return { vpc, logKey };
}

/** Properties of the WorkloadStack. */
export interface WorkloadStackProps extends StackProps {
  /** prod/orders in the registry account: VerifiedImage's check is granted on it there. */
  readonly ordersRepository: SecureRepository;
}

/**
 * WorkloadStack: an isolated VPC with flow logs, RegistryEndpoints, and an ECS Fargate service
 * whose *execution* role pulls prod/orders from the registry account and nothing else. The
 * service runs the digest that VerifiedImage checked (scan findings and managed signature).
 */
export class WorkloadStack extends Stack {
  public readonly executionRole: RegistryPullRole;
  public readonly ordersImage: VerifiedImage;

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, { ...props, env: WORKLOAD_ENV });
    const vpcCidr = '10.30.0.0/16';

    const { vpc, logKey } = isolatedVpc(this, vpcCidr);

    // verifiedImageChecks: the check below runs in these isolated subnets and reaches ECR and
    // CloudFormation's response bucket through the endpoints.
    new RegistryEndpoints(this, 'RegistryEndpoints', { vpc, registryAccounts: [REGISTRY_ENV.account], verifiedImageChecks: true });

    const orders = ecr.Repository.fromRepositoryArn(this, 'Orders',
      `arn:aws:ecr:${REGISTRY_ENV.region}:${REGISTRY_ENV.account}:repository/prod/orders`);
    const logGroup = new logs.LogGroup(this, 'OrdersLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey });
    this.executionRole = new RegistryPullRole(this, 'OrdersExecutionRole', {
      repositories: [orders],
      logGroups: [logGroup],
      roleName: ORDERS_EXECUTION_ROLE_NAME,
    });
    Validations.of(this.executionRole.policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
    });

    // The deploy-time gate: prod/orders@<digest> must have a complete scan without CRITICAL or HIGH
    // findings and the managed signature of the registry's prod/* signing rule. The check's role
    // reads prod/orders only; the repository policy in RegistryStack admits it by its ARN.
    this.ordersImage = new VerifiedImage(this, 'OrdersImage', {
      repository: props.ordersRepository,
      source: VerifiedImageSource.fromDigest(ORDERS_IMAGE_DIGEST),
      blockOnSeverity: FindingSeverity.HIGH,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      logEncryptionKey: logKey,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'OrdersTask', {
      executionRole: this.executionRole, // ECS pulls the image with the *execution* role, not the task role
      cpu: 256,
      memoryLimitMiB: 512,
    });
    taskDefinition.addContainer('orders', {
      // The digest the check returned: the task definition (and so the service) deploys after the
      // check, and only if it passed. Pulled through `orders`, whose pull the registry already
      // grants to the execution role by name.
      image: ecs.ContainerImage.fromEcrRepository(orders, this.ordersImage.imageDigest),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders', logGroup }),
    });
    const securityGroup = new ec2.SecurityGroup(this, 'OrdersServiceSecurityGroup', {
      vpc, allowAllOutbound: false, description: 'orders tasks: HTTPS to the VPC endpoints and S3 only',
    });
    securityGroup.addEgressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS to the interface endpoints');
    // Layers come from S3 through the gateway endpoint, whose prefix list differs per Region; the
    // isolated subnets have no other route out, so HTTPS anywhere only reaches S3.
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 (ECR layers) via the gateway endpoint');
    new ecs.FargateService(this, 'OrdersService', {
      cluster,
      taskDefinition,
      desiredCount: 1,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      // A deploy whose tasks cannot start (e.g. an image they cannot pull) fails fast and rolls
      // back, and the running task stays until its replacement is healthy.
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
    });
  }
}

/** The stacks of the flagship example. */
export interface Flagship {
  readonly registryStack: RegistryStack;
  readonly drStack: ReplicaStack;
  readonly replicaStack: ReplicaStack;
  readonly workloadStack: WorkloadStack;
}

/** Builds the flagship example into `app`. */
export function buildFlagship(app: App): Flagship {
  const registryStack = new RegistryStack(app, 'RegistryStack', {
    description: 'cdk-secure-registry flagship: the organization registry (111111111111/us-east-1)',
  });
  const drStack = new ReplicaStack(app, 'DrRegistryStack', {
    env: DR_ENV,
    description: 'cdk-secure-registry flagship: disaster-recovery replica (222222222222/eu-west-1)',
  });
  const replicaStack = new ReplicaStack(app, 'ReplicaRegistryStack', {
    env: REPLICA_ENV,
    description: 'cdk-secure-registry flagship: same-account replica Region (111111111111/us-west-2)',
  });
  // Destinations first: replicated repositories must find their creation template and policy.
  registryStack.addStackDependency(drStack);
  registryStack.addStackDependency(replicaStack);
  const workloadStack = new WorkloadStack(app, 'WorkloadStack', {
    ordersRepository: registryStack.repositories[0],
    description: 'cdk-secure-registry flagship: private pulls from isolated subnets (333333333333/us-east-1)',
  });
  workloadStack.addStackDependency(registryStack);
  return { registryStack, drStack, replicaStack, workloadStack };
}

if (require.main === module) {
  const app = new App();
  buildFlagship(app);
  app.synth();
}
