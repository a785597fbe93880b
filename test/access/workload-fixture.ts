/**
 * The flagship example's workload side, ready to paste into `examples/secure-registry/app.ts`
 * (WorkloadStack) and its registry-side grant (RegistryStack). Tested by
 * `workload-fixture.test.ts` through the compliance harness and the IAM proof.
 */
import {
  Stack, Validations,
  aws_ec2 as ec2, aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_kms as kms, aws_logs as logs,
} from 'aws-cdk-lib';
import { RegistryPullRole, RepositoryPullStatements } from '../../src/access';
import { RegistryEndpoints } from '../../src/network';

/** The fixed name of the workload's execution role, so the registry can grant it before it exists. */
export const ORDERS_EXECUTION_ROLE_NAME = 'orders-task-execution';

/**
 * WorkloadStack: an isolated VPC with flow logs, RegistryEndpoints, and an ECS Fargate service
 * whose *execution* role pulls `prod/orders` from the registry account and nothing else.
 */
export function buildWorkload(stack: Stack, registryAccount: string): { executionRole: RegistryPullRole; service: ecs.FargateService } {
  const vpcCidr = '10.30.0.0/16';

  // One key for the log groups (HIPAA/NIST/PCI want CloudWatch log groups encrypted).
  const logKey = new kms.Key(stack, 'LogKey', { enableKeyRotation: true, description: 'Workload log groups' });
  logKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));

  const flowLogGroup = new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey });
  // Flow-log role with a managed policy: aws-cdk-lib would otherwise write an inline DefaultPolicy.
  const flowLogRole = new iam.Role(stack, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
  new iam.ManagedPolicy(stack, 'FlowLogPolicy', {
    roles: [flowLogRole],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [flowLogGroup.logGroupArn],
    })],
  });

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(vpcCidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    // Closing the default security group takes a Lambda-backed custom resource (which brings its
    // own Lambda findings); nothing here uses the default group, so it is acknowledged below.
    restrictDefaultSecurityGroup: false,
    flowLogs: {
      all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole.withoutPolicyUpdates()) },
    },
  });
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
    Validations.of(vpc).acknowledge({
      id: `${pack}::${pack}-VPCDefaultSecurityGroupClosed`,
      reason: 'no resource uses the default security group; closing it needs a Lambda custom resource with its own findings',
    });
  }

  new RegistryEndpoints(stack, 'RegistryEndpoints', { vpc, registryAccounts: [registryAccount] });

  const orders = ecr.Repository.fromRepositoryArn(stack, 'Orders',
    `arn:aws:ecr:${stack.region}:${registryAccount}:repository/prod/orders`);
  const logGroup = new logs.LogGroup(stack, 'OrdersLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey });
  const executionRole = new RegistryPullRole(stack, 'OrdersExecutionRole', {
    repositories: [orders],
    logGroups: [logGroup],
    roleName: ORDERS_EXECUTION_ROLE_NAME,
  });
  Validations.of(executionRole.policy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
  });

  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
  });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'OrdersTask', {
    executionRole, // ECS pulls the image with the *execution* role, not the task role.
    cpu: 256,
    memoryLimitMiB: 512,
  });
  taskDefinition.addContainer('orders', {
    image: ecs.ContainerImage.fromEcrRepository(orders, 'v1'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders', logGroup }),
  });
  const serviceSecurityGroup = new ec2.SecurityGroup(stack, 'OrdersServiceSecurityGroup', {
    vpc, allowAllOutbound: false, description: 'orders tasks: HTTPS to the VPC endpoints only',
  });
  serviceSecurityGroup.addEgressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS to the interface endpoints');
  // S3 (image layers) is reached through the gateway endpoint, whose prefix-list id differs per
  // Region; the isolated subnets have no other route out, so HTTPS anywhere only reaches S3.
  serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 (ECR layers) via the gateway endpoint');
  const service = new ecs.FargateService(stack, 'OrdersService', {
    cluster,
    taskDefinition,
    desiredCount: 1,
    assignPublicIp: false,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [serviceSecurityGroup],
  });
  return { executionRole, service };
}

/**
 * RegistryStack's half: the repository-policy statement that lets the workload's execution
 * role pull `prod/orders`. Add it to the `prod/orders` repository (SecureRepository or
 * `ecr.Repository#addToResourcePolicy`).
 */
export function ordersPullGrant(workloadAccount: string): iam.PolicyStatement {
  return RepositoryPullStatements.pullForAccounts({
    accounts: [workloadAccount],
    principalArnPatterns: [`arn:aws:iam::${workloadAccount}:role/${ORDERS_EXECUTION_ROLE_NAME}`],
  });
}
