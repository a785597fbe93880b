import { App, Stack, Token, Validations, aws_ec2 as ec2, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RegistryEndpoints } from '../../src/network';
import { decide, resolveIntrinsics } from '../access/iam-proof';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { WORKLOAD_ENV } from '../helpers';

const repoArn = (name: string, account = '111111111111') => `arn:aws:ecr:us-east-1:${account}:repository/${name}`;

function isolatedVpc(stack: Stack, props: Partial<ec2.VpcProps> = {}) {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    ...props,
  });
}

function endpointStack(props: Partial<ConstructorParameters<typeof RegistryEndpoints>[2]> = {}) {
  const stack = new Stack(new App(), 'Workload', { env: WORKLOAD_ENV });
  const vpc = isolatedVpc(stack);
  const endpoints = new RegistryEndpoints(stack, 'Endpoints', { vpc, registryAccounts: ['111111111111'], ...props });
  return { stack, vpc, endpoints };
}

function endpointPolicy(stack: Stack, serviceSuffix: string): any {
  const resources = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
  const match = Object.values(resources).find((r: any) => JSON.stringify(r.Properties.ServiceName).includes(serviceSuffix)) as any;
  return resolveIntrinsics(match.Properties.PolicyDocument, WORKLOAD_ENV);
}

describe('RegistryEndpoints', () => {
  test('interface endpoints for ecr.api, ecr.dkr and logs with private DNS; S3 gateway endpoint', () => {
    // GIVEN / WHEN
    const { stack } = endpointStack();

    // THEN
    const template = Template.fromStack(stack);
    for (const service of ['com.amazonaws.us-east-1.ecr.api', 'com.amazonaws.us-east-1.ecr.dkr', 'com.amazonaws.us-east-1.logs']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: service, VpcEndpointType: 'Interface', PrivateDnsEnabled: true,
      });
    }
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      VpcEndpointType: 'Gateway',
      RouteTableIds: Match.anyValue(),
    });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 4);
  });

  test('secrets manager only when asked', () => {
    const { stack } = endpointStack({ secretsManager: true, cloudWatchLogs: false });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.secretsmanager' });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 4);
  });

  test('security group: 443 from the literal VPC CIDR only, no egress', () => {
    const { stack, endpoints } = endpointStack();
    expect(endpoints.ingressCidrs).toEqual(['10.20.0.0/16']);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS from 10.20.0.0/16' }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  test('S3 gateway endpoint policy allows only the Region\'s ECR layer bucket by default', () => {
    const { stack } = endpointStack();
    expect(endpointPolicy(stack, '.s3')).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'EcrLayerBucket',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*',
      }],
    });
  });

  test('additionalS3Statements extend the S3 policy', () => {
    const { stack } = endpointStack({
      additionalS3Statements: [new iam.PolicyStatement({
        principals: [new iam.StarPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::my-config/*'],
      })],
    });
    expect(endpointPolicy(stack, '.s3').Statement).toHaveLength(2);
  });

  test('both ECR endpoints share one policy: auth on *, ECR only against the registry accounts, no push by default', () => {
    const { stack } = endpointStack();
    const api = endpointPolicy(stack, 'ecr.api');
    expect(endpointPolicy(stack, 'ecr.dkr')).toEqual(api);
    expect(api.Statement).toEqual([
      { Sid: 'AuthenticateToEcr', Effect: 'Allow', Principal: '*', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'RegistryAccountsOnly',
        Effect: 'Allow',
        Principal: '*',
        Action: [
          'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
          'ecr:DescribeImages', 'ecr:DescribeRepositories', 'ecr:ListImages',
        ],
        Resource: 'arn:aws:ecr:us-east-1:111111111111:repository/*',
      },
    ]);
  });

  describe('IAM proof: the endpoint policy as a boundary', () => {
    const { stack } = endpointStack({ registryAccounts: ['111111111111', '333333333333'] });
    const vpce = endpointPolicy(stack, 'ecr.dkr');
    // A workload role whose identity policy allows everything in ECR, so only the endpoint decides.
    const admin = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] }];
    const role = 'arn:aws:iam::333333333333:role/task';

    test.each([
      ['ecr:GetAuthorizationToken', '*', 'Allowed'],
      ['ecr:BatchGetImage', repoArn('prod/orders', '333333333333'), 'Allowed'],
      ['ecr:PutImage', repoArn('prod/orders', '333333333333'), 'ImplicitlyDenied'],
      ['ecr:DeleteRepository', repoArn('prod/orders', '333333333333'), 'ImplicitlyDenied'],
      ['ecr:BatchGetImage', repoArn('prod/orders', '999999999999'), 'ImplicitlyDenied'],
    ])('%s on %s -> %s', async (action, resource, expected) => {
      await expect(decide({
        principal: role,
        identityPolicies: admin,
        action,
        resource,
        resourceAccount: /:(\d{12}):/.exec(resource)?.[1] ?? '333333333333',
        vpcEndpointPolicies: [vpce],
      })).resolves.toBe(expected);
    });

    test('S3 through the gateway: the layer bucket only', async () => {
      const s3 = endpointPolicy(stack, '.s3');
      const s3Admin = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }];
      const ask = (resource: string, action = 's3:GetObject') => decide({
        principal: role, identityPolicies: s3Admin, action, resource, resourceAccount: '333333333333', vpcEndpointPolicies: [s3],
      });
      await expect(ask('arn:aws:s3:::prod-us-east-1-starport-layer-bucket/layer')).resolves.toBe('Allowed');
      await expect(ask('arn:aws:s3:::exfiltration-bucket/data', 's3:PutObject')).resolves.toBe('ImplicitlyDenied');
      await expect(ask('arn:aws:s3:::prod-us-west-2-starport-layer-bucket/layer')).resolves.toBe('ImplicitlyDenied');
    });
  });

  test('pullThroughCache adds the import and the creation of the cache repository, nothing else', () => {
    const { stack } = endpointStack({ pullThroughCache: true });
    const actions = endpointPolicy(stack, 'ecr.api').Statement[1].Action;
    expect(actions).toEqual(expect.arrayContaining(['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']));
    expect(actions).not.toContain('ecr:PutImage');
  });

  test('verifiedImageChecks adds the check\'s reads and CloudFormation\'s response bucket, nothing else', () => {
    const { stack } = endpointStack({ verifiedImageChecks: true });
    const actions = endpointPolicy(stack, 'ecr.api').Statement[1].Action;
    expect(actions).toEqual(expect.arrayContaining(['ecr:DescribeImageScanFindings', 'ecr:DescribeImageSigningStatus', 'ecr:DescribeImages']));
    expect(actions).not.toContain('ecr:PutImage');
    expect(endpointPolicy(stack, '.s3').Statement[1]).toEqual({
      Sid: 'CloudFormationResponses',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::cloudformation-custom-resource-response-useast1/*',
    });
    // Off by default.
    expect(endpointPolicy(endpointStack().stack, '.s3').Statement).toHaveLength(1);
  });

  test('allowPush adds the upload actions', () => {
    const { stack } = endpointStack({ allowPush: true });
    expect(endpointPolicy(stack, 'ecr.api').Statement[1].Action).toEqual(expect.arrayContaining([
      'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
    ]));
  });

  test('registry accounts default to the stack account', () => {
    const stack = new Stack(new App(), 'Workload', { env: WORKLOAD_ENV });
    new RegistryEndpoints(stack, 'Endpoints', { vpc: isolatedVpc(stack) });
    expect(endpointPolicy(stack, 'ecr.api').Statement[1].Resource).toBe('arn:aws:ecr:us-east-1:333333333333:repository/*');
  });

  test.each([
    ['DNS support off', { enableDnsSupport: false }, /VpcDnsDisabled: the VPC has enableDnsSupport=false/],
    ['DNS hostnames off', { enableDnsHostnames: false }, /VpcDnsDisabled: .*enableDnsHostnames=false/],
  ])('fails when %s', (_name, vpcProps, error) => {
    const stack = new Stack(new App(), 'Workload', { env: WORKLOAD_ENV });
    const vpc = isolatedVpc(stack, vpcProps);
    expect(() => new RegistryEndpoints(stack, 'Endpoints', { vpc })).toThrow(error);
  });

  test.each([
    [{ registryAccounts: [] }, /NoRegistryAccount/],
    [{ registryAccounts: ['11111111111'] }, /InvalidAccountId: registryAccounts '11111111111'/],
    [{ ingressCidrs: ['0.0.0.0/0'] }, /OpenIngressCidr: ingressCidrs entry '0.0.0.0\/0'/],
    [{ ingressCidrs: ['10.0.0.0'] }, /InvalidCidr: ingressCidrs entry '10.0.0.0'/],
    [{ ingressCidrs: [] }, /NoIngressCidr/],
  ])('fails on %p', (props, error) => {
    expect(() => endpointStack(props as any)).toThrow(error);
  });

  test('fails when the gateway endpoint would have no route tables', () => {
    const stack = new Stack(new App(), 'Workload', { env: WORKLOAD_ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-12345678',
      vpcCidrBlock: '10.1.0.0/16',
      availabilityZones: ['us-east-1a'],
      isolatedSubnetIds: ['subnet-1'],
    });
    expect(() => new RegistryEndpoints(stack, 'Endpoints', { vpc }))
      .toThrow(/^\[Workload\/Endpoints\] NoRouteTables: the S3 gateway endpoint needs route tables/);
  });

  test('an imported VPC with route tables works, and its CIDR is used', () => {
    const stack = new Stack(new App(), 'Workload', { env: WORKLOAD_ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-12345678',
      vpcCidrBlock: '10.1.0.0/16',
      availabilityZones: ['us-east-1a'],
      isolatedSubnetIds: ['subnet-1'],
      isolatedSubnetRouteTableIds: ['rtb-1'],
    });
    const endpoints = new RegistryEndpoints(stack, 'Endpoints', { vpc });
    expect(endpoints.ingressCidrs).toEqual(['10.1.0.0/16']);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { RouteTableIds: ['rtb-1'] });
  });

  test('skips validation of unresolved tokens', () => {
    expect(() => endpointStack({
      registryAccounts: [Token.asString({ Ref: 'RegistryAccount' })],
      ingressCidrs: [Token.asString({ Ref: 'Cidr' })],
    })).not.toThrow();
  });

  test('passes every compliance pack in an isolated VPC with flow logs', () => {
    const app = compliantApp();
    const stack = new Stack(app, 'Workload', { env: WORKLOAD_ENV });
    const flowLogGroup = new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR });
    // A flow-log role with a managed policy: aws-cdk-lib would otherwise write an inline policy.
    const flowLogRole = new iam.Role(stack, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    new iam.ManagedPolicy(stack, 'FlowLogPolicy', {
      roles: [flowLogRole],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [flowLogGroup.logGroupArn],
      })],
    });
    const vpc = isolatedVpc(stack, {
      restrictDefaultSecurityGroup: false,
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole.withoutPolicyUpdates()) } },
    });
    new RegistryEndpoints(stack, 'Endpoints', { vpc, registryAccounts: ['111111111111'] });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(flowLogGroup).acknowledge({
        id: `${pack}::${pack}-CloudWatchLogGroupEncrypted`,
        reason: 'test fixture: flow-log encryption is the VPC owner\'s choice, not part of RegistryEndpoints',
      });
    }
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'NIST.800.53.R4', 'PCI.DSS.321']) {
      Validations.of(vpc).acknowledge({
        id: `${pack}::${pack}-VPCDefaultSecurityGroupClosed`,
        reason: 'test fixture: closing the default security group needs a Lambda custom resource; nothing uses it here',
      });
    }
    // synthCompliant throws on any finding of any pack (its result lists packs only when they report).
    const result = synthCompliant(app);
    expect(result.acknowledgments.map((a) => a.id)).toContain('NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed');
  });
});
