import * as path from 'path';
import {
  App, CfnParameter, DefaultStackSynthesizer, Duration, Stack, Validations,
  aws_ec2 as ec2, aws_ecr as ecr, aws_ecs as ecs, aws_lambda as lambda, aws_signer as signer, aws_sns as sns,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { FindingSeverity, RegistryEndpoints, ScanType, SecureRegistry, SecureRepository, VerifiedImage, VerifiedImageSource } from '../../src';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { ENV, WORKLOAD_ENV, stackIn } from '../helpers';

const DOCKER_APP = path.join(__dirname, '..', '..', 'examples', 'recipes', 'orders-app');
const DIGEST = `sha256:${'c'.repeat(64)}`;

/** A registry stack with prod/orders (signed, scanned) and dev/tools (not signed). */
function registryStack(app = new App(), id = 'RegistryStack') {
  const stack = new Stack(app, id, { env: ENV });
  const registry = new SecureRegistry(stack, 'Registry', {
    scanType: ScanType.ENHANCED,
    signingRules: [{ repositoryFilters: ['prod/*'] }],
  });
  const orders = registry.addRepository('Orders', { repositoryName: 'prod/orders' });
  const tools = registry.addRepository('Tools', { repositoryName: 'dev/tools' });
  return { app, stack, registry, orders, tools };
}

function checkPolicyStatements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('VerifiedImage') } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('VerifiedImage', () => {
  test('the check role reads the one repository, and only * for X-Ray', () => {
    const { stack, tools } = registryStack();
    new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1') });
    const template = Template.fromStack(stack);
    const toolsId = stack.getLogicalId(tools.resource);
    expect(checkPolicyStatements(template)).toEqual([
      {
        Effect: 'Allow',
        Action: ['ecr:DescribeImageScanFindings', 'ecr:DescribeImageSigningStatus', 'ecr:DescribeImages'],
        Resource: { 'Fn::GetAtt': [toolsId, 'Arn'] },
      },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ImageLogGroup/), 'Arn'] } },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
    // No inline policy on the role, and no AWS managed policy.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('the function: latest Node.js runtime, tracing, reserved concurrency, its own encrypted log group with retention', () => {
    const { stack, tools } = registryStack();
    new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1'), timeout: Duration.minutes(5) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: lambda.Runtime.NODEJS_24_X.name,
      Handler: 'index.handler',
      Timeout: 360,
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: Match.absent(), // a minimal-quota account cannot reserve any
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ImageLogGroup') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImageLogKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the custom resource carries the source and the policy, and waits for the role\'s policy', () => {
    const { stack, tools } = registryStack();
    const topic = new sns.Topic(stack, 'Findings');
    new VerifiedImage(stack, 'Image', {
      repository: tools,
      source: VerifiedImageSource.fromTag('v1'),
      blockOnSeverity: FindingSeverity.MEDIUM,
      blockOnlyFixable: true,
      allowedFindings: [{ id: 'CVE-2024-1', reason: 'not reachable in this service', expiresOn: '2099-01-31' }],
      findingsTopic: topic,
    });
    const template = Template.fromStack(stack);
    const [id, resource] = Object.entries(template.findResources('Custom::VerifiedImage'))[0] as [string, any];
    expect(resource.DependsOn).toEqual([expect.stringMatching(/^ImageCheckRolePolicy/)]);
    expect(resource.Properties).toMatchObject({
      RegistryId: '111111111111',
      Region: 'us-east-1',
      ImageTag: 'v1',
      PullThroughCache: 'false',
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^ImageCheckFunction/), 'Arn'] },
    });
    const policy = JSON.stringify(stack.resolve(resource.Properties.Policy));
    expect(policy).toContain('\\"blockOn\\":\\"MEDIUM\\"');
    expect(policy).toContain('\\"fixableOnly\\":true');
    expect(policy).toContain('\\"expiresOn\\":\\"2099-01-31\\"');
    expect(policy).toContain('\\"signingProfileArns\\":[]');
    expect(id).toMatch(/^Image/);
    expect(checkPolicyStatements(template)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^Findings/) } }),
    ]));
  });

  test('a change of the policy changes the resource\'s properties (so the image is checked again)', () => {
    const render = (severity: FindingSeverity) => {
      const { stack, tools } = registryStack();
      new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1'), blockOnSeverity: severity });
      const res = Object.values(Template.fromStack(stack).findResources('Custom::VerifiedImage'))[0] as any;
      return JSON.stringify(res.Properties);
    };
    expect(render(FindingSeverity.HIGH)).not.toEqual(render(FindingSeverity.CRITICAL));
    expect(render(FindingSeverity.HIGH)).toEqual(render(FindingSeverity.HIGH));
  });

  describe('signature', () => {
    test('required by default where a signing rule of the registry covers the repository, with that rule\'s profile', () => {
      const { stack, orders } = registryStack();
      const image = new VerifiedImage(stack, 'Image', { repository: orders, source: VerifiedImageSource.fromTag('v1') });
      expect(image.requiresSignature).toBe(true);
      const res = Object.values(Template.fromStack(stack).findResources('Custom::VerifiedImage'))[0] as any;
      expect(JSON.stringify(res.Properties.Policy)).toMatch(/signingProfileArns.*RegistrySigningProfile[0-9A-F]+", *"Arn"/);
    });

    test('not required where no rule covers the repository, unless asked (then a profile is needed)', () => {
      const { stack, tools } = registryStack();
      expect(new VerifiedImage(stack, 'A', { repository: tools, source: VerifiedImageSource.fromTag('v1') }).requiresSignature).toBe(false);
      expect(() => new VerifiedImage(stack, 'B', { repository: tools, source: VerifiedImageSource.fromTag('v1'), requireSignature: true }))
        .toThrow(/NoSigningProfile: requireSignature is true but no signing profile is known/);
      const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
      expect(new VerifiedImage(stack, 'C', { repository: tools, source: VerifiedImageSource.fromTag('v1'), signingProfiles: [profile] })
        .requiresSignature).toBe(true);
    });

    test('can be turned off where a rule covers the repository', () => {
      const { stack, orders } = registryStack();
      const image = new VerifiedImage(stack, 'Image', { repository: orders, source: VerifiedImageSource.fromTag('v1'), requireSignature: false });
      expect(image.requiresSignature).toBe(false);
    });
  });

  describe('workloads deploy after the check, by digest', () => {
    test('imageUri and containerImage() pin the digest the check returned', () => {
      const { stack, tools } = registryStack();
      const image = new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1') });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('app', { image: image.containerImage(), memoryLimitMiB: 512 });
      const template = Template.fromStack(stack);
      const imageRef = JSON.stringify(template.findResources('AWS::ECS::TaskDefinition'));
      // <registry>/<name>@sha256:<hex from the check's result>: the task definition waits for the check.
      expect(imageRef).toMatch(/"@sha256:",\{"Fn::GetAtt":\["Image[0-9A-F]+","ImageDigestHex"\]\}/);
      expect(JSON.stringify(stack.resolve(image.imageUri))).toMatch(/"@sha256:",\{"Fn::GetAtt":\["Image[0-9A-F]+","ImageDigestHex"\]\}/);
      expect(JSON.stringify(stack.resolve(image.imageDigest))).toMatch(/^\{"Fn::Join":\["",\["sha256:",\{"Fn::GetAtt":\["Image[0-9A-F]+","ImageDigestHex"\]\}\]\]\}$/);
    });

    test('dockerImageCode() pins the digest for a Lambda function', () => {
      const { stack, tools } = registryStack();
      const image = new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1') });
      new lambda.DockerImageFunction(stack, 'Fn', { code: image.dockerImageCode() });
      const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0] as any;
      expect(JSON.stringify(fn.Properties.Code.ImageUri)).toMatch(/"@sha256:",\{"Fn::GetAtt":\["Image[0-9A-F]+","ImageDigestHex"\]\}/);
    });
  });

  test('no Lambda function and no custom resource without VerifiedImage', () => {
    const { stack } = registryStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::VerifiedImage', 0);
  });

  test('a repository no scanning rule covers is refused at synth', () => {
    const stack = stackIn();
    const registry = new SecureRegistry(stack, 'Registry', { scanOnPushFilters: ['prod/*'] });
    const repo = registry.addRepository('Tools', { repositoryName: 'dev/tools' });
    expect(() => new VerifiedImage(stack, 'Image', { repository: repo, source: VerifiedImageSource.fromTag('v1') }))
      .toThrow(/\[RegistryStack\/Image\] RepositoryNeverScanned: repository 'dev\/tools' matches no scanning filter/);
  });

  describe('sources', () => {
    test('by digest: ImageDigest, no tag', () => {
      const { stack, tools } = registryStack();
      new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromDigest(DIGEST) });
      Template.fromStack(stack).hasResourceProperties('Custom::VerifiedImage', { ImageDigest: DIGEST, ImageTag: Match.absent() });
    });

    test('pull-through cache: the check may import the tag (and create the cache repository)', () => {
      const stack = stackIn();
      const cached = SecureRepository.fromRepositoryName(stack, 'Nginx', 'ecr-public/nginx/nginx');
      new VerifiedImage(stack, 'Image', { repository: cached, source: VerifiedImageSource.fromPullThroughCache('1.27') });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('Custom::VerifiedImage', { PullThroughCache: 'true', ImageTag: '1.27' });
      expect(checkPolicyStatements(template)[0].Action).toEqual([
        'ecr:DescribeImageScanFindings', 'ecr:DescribeImageSigningStatus', 'ecr:DescribeImages',
        'ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository',
      ]);
    });

    test('a local build must be published into the governed repository by the stack\'s synthesizer', () => {
      const { app, orders } = registryStack();
      const appStack = new Stack(app, 'AppStack', { env: ENV });
      expect(() => new VerifiedImage(appStack, 'Image', { repository: orders, source: VerifiedImageSource.fromAsset(DOCKER_APP) }))
        .toThrow(/AssetNotInGovernedRepository: the image asset is published to 'cdk-hnb659fds-container-assets-111111111111-us-east-1'.*imageAssetsRepositoryName: 'prod\/orders'/);
    });

    test('a local build published into the governed repository is checked by its asset tag', () => {
      const { app, orders } = registryStack();
      const appStack = new Stack(app, 'AppStack', {
        env: ENV, synthesizer: new DefaultStackSynthesizer({ imageAssetsRepositoryName: 'prod/orders' }),
      });
      const image = new VerifiedImage(appStack, 'Image', { repository: orders, source: VerifiedImageSource.fromAsset(DOCKER_APP) });
      Template.fromStack(appStack).hasResourceProperties('Custom::VerifiedImage', { ImageTag: image.asset!.imageTag });
      expect(image.asset!.repository.repositoryName).toBe('prod/orders');
    });

    test('a local build in another account than the repository is refused', () => {
      const { app, orders } = registryStack();
      const appStack = new Stack(app, 'AppStack', {
        env: WORKLOAD_ENV, synthesizer: new DefaultStackSynthesizer({ imageAssetsRepositoryName: 'prod/orders' }),
      });
      expect(() => new VerifiedImage(appStack, 'Image', { repository: orders, source: VerifiedImageSource.fromAsset(DOCKER_APP) }))
        .toThrow(/AssetInOtherEnvironment: the image asset is published in 333333333333\/us-east-1/);
    });
  });

  describe('across accounts', () => {
    const app = new App();
    const { stack: regStack, orders } = registryStack(app);
    const workload = new Stack(app, 'WorkloadStack', { env: WORKLOAD_ENV });
    new VerifiedImage(workload, 'Image', { repository: orders, source: VerifiedImageSource.fromTag('v1') });
    const assembly = app.synth();
    const regTemplate = assembly.getStackByName('RegistryStack').template;
    const workTemplate = assembly.getStackByName('WorkloadStack').template;

    test('the repository policy admits the check role by its (generated) ARN, for the read calls only', () => {
      const role = Object.values(workTemplate.Resources).find((r: any) => r.Type === 'AWS::IAM::Role') as any;
      const roleName = role.Properties.RoleName;
      expect(roleName).toMatch(/^workloadstack/);
      const repo = Object.values(regTemplate.Resources).find((r: any) => r.Type === 'AWS::ECR::Repository' &&
        r.Properties.RepositoryName === 'prod/orders') as any;
      expect(repo.Properties.RepositoryPolicyText.Statement).toEqual([{
        Effect: 'Allow',
        Action: ['ecr:DescribeImageScanFindings', 'ecr:DescribeImageSigningStatus', 'ecr:DescribeImages'],
        Principal: { AWS: expect.anything() },
        Condition: { ArnLike: { 'aws:PrincipalArn': expect.anything() } },
      }]);
      expect(JSON.stringify(repo.Properties.RepositoryPolicyText.Statement[0].Condition)).toContain(`:iam::333333333333:role/${roleName}`);
      expect(JSON.stringify(repo.Properties.RepositoryPolicyText.Statement[0].Principal)).toContain('333333333333:root');
    });

    test('the check asks the registry account, and requires a signature by a profile of that account and Region', () => {
      const res = Object.values(workTemplate.Resources).find((r: any) => r.Type === 'Custom::VerifiedImage') as any;
      expect(res.Properties.RegistryId).toBe('111111111111');
      expect(res.Properties.RepositoryName).toBe('prod/orders');
      expect(JSON.stringify(res.Properties.Policy)).toContain(':signer:us-east-1:111111111111:/signing-profiles/*');
      expect(regStack.node.id).toBe('RegistryStack');
    });
  });

  describe('VPC placement', () => {
    test('in a VPC: subnets, an HTTPS-only security group and the network-interface permissions', () => {
      const { stack, tools } = registryStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1'), vpc });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() } });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('VerifiedImage'),
        SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }],
      });
      expect(checkPolicyStatements(template)).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']), Resource: '*' }),
      ]));
      // The function is created after its network-interface permissions.
      const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
      expect(fn.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ImageCheckRolePolicy/)]));
    });

    test('the check waits for the RegistryEndpoints of its VPC, even ones declared after it', () => {
      const { stack, tools } = registryStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const other = new ec2.Vpc(stack, 'Other', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      new VerifiedImage(stack, 'Image', { repository: tools, source: VerifiedImageSource.fromTag('v1'), vpc });
      new RegistryEndpoints(stack, 'Endpoints', { vpc, verifiedImageChecks: true });
      new RegistryEndpoints(stack, 'OtherEndpoints', { vpc: other });
      const template = Template.fromStack(stack);
      const check = Object.values(template.findResources('Custom::VerifiedImage'))[0] as any;
      const endpointIds = (prefix: string) => Object.keys(template.findResources('AWS::EC2::VPCEndpoint')).filter((id) => id.startsWith(prefix));
      // on create the function reaches ECR and CloudFormation's response bucket; on delete the
      // endpoints outlive its last answer
      expect(endpointIds('Endpoints').length).toBeGreaterThanOrEqual(3);
      expect(check.DependsOn).toEqual(expect.arrayContaining(endpointIds('Endpoints')));
      for (const id of endpointIds('OtherEndpoints')) {
        expect(check.DependsOn ?? []).not.toContain(id);
      }
    });
  });

  describe('every compliance pack', () => {
    test.each([
      ['no feature flags', {}],
      ['the feature flags cdk init writes', CURRENTLY_RECOMMENDED_FLAGS],
    ])('with %s: no finding, outside and inside a VPC', (_name, context) => {
      const app = compliantApp({ context });
      const { stack, orders, tools } = registryStack(app);
      new VerifiedImage(stack, 'Outside', { repository: orders, source: VerifiedImageSource.fromTag('v1') });
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
        natGateways: 0,
        restrictDefaultSecurityGroup: false,
        subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      acknowledgeTestVpc(vpc);
      new VerifiedImage(stack, 'Inside', { repository: tools, source: VerifiedImageSource.fromDigest(DIGEST), vpc });
      const result = synthCompliant(app);
      const acks = result.acknowledgments.filter((a) => a.path.includes('/Outside/') || a.path.includes('/Inside/')).map((a) => `${a.path.split('/').slice(1, 3).join('/')} ${a.id}`);
      expect(acks.sort()).toEqual([
        'Inside/CheckFunction HIPAA.Security::HIPAA.Security-LambdaConcurrency',
        'Inside/CheckFunction HIPAA.Security::HIPAA.Security-LambdaDLQ',
        'Inside/CheckFunction NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
        'Inside/CheckFunction NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
        'Inside/CheckRole AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        'Outside/CheckFunction HIPAA.Security::HIPAA.Security-LambdaConcurrency',
        'Outside/CheckFunction HIPAA.Security::HIPAA.Security-LambdaDLQ',
        'Outside/CheckFunction HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
        'Outside/CheckFunction NIST.800.53.R4::NIST.800.53.R4-LambdaInsideVPC',
        'Outside/CheckFunction NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
        'Outside/CheckFunction NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
        'Outside/CheckFunction NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
        'Outside/CheckFunction PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC',
        'Outside/CheckFunction cdk-validator-cfnguard::lambda_inside_vpc_check',
        'Outside/CheckRole AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      ]);
    });
  });

  describe('validation', () => {
    const make = (props: Partial<ConstructorParameters<typeof VerifiedImage>[2]>) => {
      const stack = stackIn();
      const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'prod/orders');
      return () => new VerifiedImage(stack, 'Image', { repository: repo, source: VerifiedImageSource.fromTag('v1'), ...props });
    };
    test.each([
      ['InvalidImageDigest', { source: VerifiedImageSource.fromDigest('sha256:abc') }, /digest 'sha256:abc' is not an image digest/],
      ['InvalidImageTag', { source: VerifiedImageSource.fromTag('-bad') }, /tag '-bad' is not an image tag/],
      ['InvalidCheckTimeout', { timeout: Duration.minutes(20) }, /timeout is 20 minutes: .* use 30 seconds to 14 minutes/],
      ['InvalidPollInterval', { pollInterval: Duration.seconds(1) }, /pollInterval is 1 second/],
      ['InvalidAllowedFinding', { allowedFindings: [{ id: 'CVE-1', reason: 'ok', expiresOn: '2026-01-01' }] }, /needs a reason of at least 10 characters/],
      ['InvalidAllowedFinding', { allowedFindings: [{ id: 'CVE-1', reason: 'not reachable here', expiresOn: '2026-02-30' }] }, /expiresOn '2026-02-30' is not a date/],
      ['DuplicateAllowedFinding', {
        allowedFindings: [{ id: 'CVE-1', reason: 'not reachable here', expiresOn: '2099-01-01' }, { id: 'cve-1', reason: 'not reachable here', expiresOn: '2099-01-01' }],
      }, /lists cve-1 twice/],
    ])('fails with %s', (code, props, message) => {
      expect(make(props as any)).toThrow(new RegExp(`\\[RegistryStack/Image\\] ${code}: `));
      expect(make(props as any)).toThrow(message);
    });

    test('an allowlist entry already expired at synth is a warning (the check decides at deploy time)', () => {
      const stack = stackIn();
      const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'prod/orders');
      new VerifiedImage(stack, 'Image', {
        repository: repo,
        source: VerifiedImageSource.fromTag('v1'),
        allowedFindings: [{ id: 'CVE-1', reason: 'not reachable here', expiresOn: '2020-01-01' }],
      });
      Annotations.fromStack(stack).hasWarning('/RegistryStack/Image', Match.stringLikeRegexp('CVE-1 expired on 2020-01-01'));
    });

    test('tokens are not validated', () => {
      const stack = stackIn();
      const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'prod/orders');
      const tag = new CfnParameter(stack, 'Tag').valueAsString;
      expect(() => new VerifiedImage(stack, 'Image', { repository: repo, source: VerifiedImageSource.fromTag(tag) })).not.toThrow();
    });
  });
});

/** The test VPC's own findings, acknowledged as the examples do (flow logs are not the subject here). */
function acknowledgeTestVpc(vpc: ec2.Vpc): void {
  const v = Validations.of(vpc);
  v.acknowledge({ id: 'AwsSolutions::AwsSolutions-VPC7', reason: 'A test VPC for the check function; flow logs are not under test here' });
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
    v.acknowledge({ id: `${pack}::${pack}-VPCFlowLogsEnabled`, reason: 'A test VPC for the check function; flow logs are not under test here' });
    v.acknowledge({ id: `${pack}::${pack}-VPCDefaultSecurityGroupClosed`, reason: 'A test VPC for the check function; nothing uses its default group' });
  }
}

