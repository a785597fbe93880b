import { Validations, aws_ec2 as ec2, aws_iam as iam, aws_logs as logs, custom_resources as cr } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RegistryEndpoints } from '../../src/network';
import { BasicScanTypeVersion, RegistryAccountSettings, RegistryPolicyScope } from '../../src/registry/account-settings';
import { SecureRegistry } from '../../src/registry/secure-registry';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { stackIn as stack } from '../helpers';

describe('RegistryAccountSettings compliance', () => {
  test('all three settings pass the compliance harness with reasoned acknowledgments', () => {
    const app = compliantApp();
    const s = stack(app);
    new RegistryAccountSettings(s, 'AccountSettings', {
      blobMounting: true,
      registryPolicyScope: RegistryPolicyScope.V2,
      basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE,
    });
    const result = synthCompliant(app);
    expect(result.acknowledgments.length).toBeGreaterThan(0);
  });
});

/** An isolated VPC with flow logs to an encrypted log group, as every pack asks. */
function isolatedVpc(s: ReturnType<typeof stack>): ec2.Vpc {
  const vpc = new ec2.Vpc(s, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.50.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const flowLogs = new logs.LogGroup(s, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  const v = Validations.of(s);
  for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
    v.acknowledge({ id: `${pack}::${pack}-VPCDefaultSecurityGroupClosed`, reason: 'test fixture: nothing uses the default security group here' });
    v.acknowledge({ id: `${pack}::${pack}-CloudWatchLogGroupEncrypted`, reason: 'test fixture: flow-log encryption is not under test here' });
    v.acknowledge({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason: 'test fixture: the flow-log role aws-cdk-lib creates has an inline policy' });
  }
  v.acknowledge({ id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check', reason: 'test fixture: flow-log encryption is not under test here' });
  v.acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'test fixture: the flow-log role aws-cdk-lib creates' });
  return vpc;
}

describe('the account settings function in a VPC (Control Tower CT.LAMBDA.PR.3)', () => {
  test('with a vpc, the function runs in its isolated subnets, and no VPC finding is acknowledged', () => {
    const s = stack();
    const vpc = isolatedVpc(s);
    new SecureRegistry(s, 'Registry', { blobMounting: true, vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('Vpcisolated') })]) },
    });
    const fn = s.node.findChild('AWS679f53fac002430cb0da5b7982bd2287');
    const ids = fn.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.keys(m.data));
    expect(ids.filter((id) => /LambdaInsideVPC|lambda_inside_vpc_check/.test(id))).toEqual([]);
    expect(ids).toContain('AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]');
  });

  test('without one, the Control Tower finding is acknowledged with its reason', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry', { blobMounting: true });
    const fn = s.node.findChild('AWS679f53fac002430cb0da5b7982bd2287');
    const acks = Object.assign({}, ...fn.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data));
    expect(acks['cdk-validator-cfnguard::lambda_inside_vpc_check']).toMatch(/^No vpc was given: .*give SecureRegistry .* a vpc/);
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
  });

  test('in isolated subnets beside RegistryEndpoints with customResources, the stack passes every pack and Control Tower', () => {
    const app = compliantApp();
    const s = stack(app);
    const vpc = isolatedVpc(s);
    new RegistryEndpoints(s, 'Endpoints', { vpc, customResources: true });
    new SecureRegistry(s, 'Registry', { blobMounting: true, registryPolicyScope: RegistryPolicyScope.V2, vpc });
    const result = synthCompliant(app);
    expect(result.packs.map((p) => p.name)).toContain('cdk-validator-cfnguard');
    expect(result.acknowledgments.map((a) => a.id)).not.toContain('cdk-validator-cfnguard::lambda_inside_vpc_check');
  });

  test('in a VPC, each setting waits for the RegistryEndpoints of that VPC (create, and delete in reverse)', () => {
    const s = stack();
    const vpc = isolatedVpc(s);
    new SecureRegistry(s, 'Registry', { blobMounting: true, vpc });
    new RegistryEndpoints(s, 'Endpoints', { vpc, customResources: true });
    const t = Template.fromStack(s);
    const setting = Object.values(t.findResources('Custom::EcrAccountSetting'))[0] as any;
    const endpoints = Object.keys(t.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints.length).toBeGreaterThanOrEqual(3);
    expect(setting.DependsOn).toEqual(expect.arrayContaining(endpoints));
  });

  test('fails with SubnetsWithoutVpc when vpcSubnets comes without vpc', () => {
    expect(() => new RegistryAccountSettings(stack(), 'AccountSettings', { blobMounting: true, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }))
      .toThrow(/\[RegistryStack\/AccountSettings\] SubnetsWithoutVpc: vpcSubnets is given without vpc/);
  });
});

describe('the account settings function logs (Control Tower CT.CLOUDWATCH.PR.3)', () => {
  test('to one log group per stack, encrypted with a key that admits CloudWatch Logs for that log group only, kept a year', () => {
    const s = stack();
    new RegistryAccountSettings(s, 'A', { blobMounting: true });
    new RegistryAccountSettings(s, 'B', { registryPolicyScope: RegistryPolicyScope.V2 });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Logs::LogGroup', 1);
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/cdk-secure-registry/RegistryStack/account-settings',
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcrAccountSettingsLogsKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyGrantsNotForAwsResources' }), Match.objectLike({
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:/cdk-secure-registry/RegistryStack/account-settings' } },
        })]),
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^EcrAccountSettingsLogs') } },
    });
  });

  test("when another AwsCustomResource created the stack's function first, its log group is left to its owner", () => {
    const s = stack();
    new cr.AwsCustomResource(s, 'Theirs', {
      onCreate: { service: 'STS', action: 'GetCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    new RegistryAccountSettings(s, 'A', { blobMounting: true });
    expect(s.node.tryFindChild('EcrAccountSettingsLogs')).toBeUndefined();
  });
});

describe('RegistryAccountSettings', () => {
  function createCall(t: Template, name: string): any {
    const resources = Object.values(t.findResources('Custom::EcrAccountSetting'));
    const found = resources.find((r: any) => JSON.stringify(r.Properties.Create).includes(`\\"name\\":\\"${name}\\"`));
    return found;
  }

  test('blob mounting is put on create and update, and restored to DISABLED on delete', () => {
    const s = stack();
    const settings = new RegistryAccountSettings(s, 'AccountSettings', { blobMounting: true });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::EcrAccountSetting', 1);
    const r = createCall(t, 'BLOB_MOUNTING');
    const create = JSON.parse(r.Properties.Create);
    expect(create).toMatchObject({
      service: 'ECR',
      action: 'PutAccountSetting',
      parameters: { name: 'BLOB_MOUNTING', value: 'ENABLED' },
      physicalResourceId: { id: 'ecr-account-setting-BLOB_MOUNTING' },
    });
    expect(JSON.parse(r.Properties.Update).parameters).toEqual({ name: 'BLOB_MOUNTING', value: 'ENABLED' });
    expect(JSON.parse(r.Properties.Delete).parameters).toEqual({ name: 'BLOB_MOUNTING', value: 'DISABLED' });
    expect(settings.settingNames).toEqual(['BLOB_MOUNTING']);
  });

  test('blobMounting false puts DISABLED', () => {
    const s = stack();
    new RegistryAccountSettings(s, 'AccountSettings', { blobMounting: false });
    const r = createCall(Template.fromStack(s), 'BLOB_MOUNTING');
    expect(JSON.parse(r.Properties.Create).parameters.value).toBe('DISABLED');
  });

  test.each([
    ['REGISTRY_POLICY_SCOPE', { registryPolicyScope: RegistryPolicyScope.V2 }, 'V2'],
    ['BASIC_SCAN_TYPE_VERSION', { basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE }, 'AWS_NATIVE'],
  ])('%s is one-way: put on create and update, left on delete', (name, props, value) => {
    const s = stack();
    new RegistryAccountSettings(s, 'AccountSettings', props);
    const r = createCall(Template.fromStack(s), name);
    expect(JSON.parse(r.Properties.Create).parameters).toEqual({ name, value });
    expect(r.Properties.Delete).toBeUndefined();
  });

  test('each setting gets only PutAccountSetting on * limited by ecr:AccountSetting', () => {
    const s = stack();
    new RegistryAccountSettings(s, 'AccountSettings', { blobMounting: true, registryPolicyScope: RegistryPolicyScope.V2 });
    const t = Template.fromStack(s);
    for (const name of ['BLOB_MOUNTING', 'REGISTRY_POLICY_SCOPE']) {
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Action: 'ecr:PutAccountSetting',
            Effect: 'Allow',
            Resource: '*',
            Condition: { StringEquals: { 'ecr:AccountSetting': name } },
          }],
        },
      });
    }
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.hasResourceProperties('Custom::EcrAccountSetting', { InstallLatestAwsSdk: false });
  });

  test('fails with NoAccountSettings when no setting is given', () => {
    expect(() => new RegistryAccountSettings(stack(), 'AccountSettings', {}))
      .toThrow(/\[RegistryStack\/AccountSettings\] NoAccountSettings: no setting is given/);
  });

  test('the singleton function carries its acknowledgments once per stack', () => {
    const s = stack();
    new RegistryAccountSettings(s, 'A', { blobMounting: true });
    new RegistryAccountSettings(s, 'B', { registryPolicyScope: RegistryPolicyScope.V2 });
    const fn = s.node.findChild('AWS679f53fac002430cb0da5b7982bd2287');
    const acks = fn.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules');
    // IAM4, LambdaInsideVPC (4 packs and Control Tower), LambdaDLQ and LambdaConcurrency (2 packs each): 10, not 20.
    expect(acks.length).toBe(10);
    Template.fromStack(s).resourceCountIs('AWS::Lambda::Function', 1);
  });
});

describe('registry policy scope', () => {
  const replicationStatement = (actions: string[]) => new iam.PolicyStatement({
    sid: 'FromSource',
    actions,
    principals: [new iam.AccountPrincipal('222222222222')],
    resources: ['*'],
  });

  test('V2: the registry policy is created after the scope setting', () => {
    // GIVEN a registry that moves its scope to V2
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { registryPolicyScope: RegistryPolicyScope.V2 });
    // WHEN a statement with a V2-only action arrives
    registry.addToRegistryPolicy(replicationStatement(['ecr:BatchGetImage']));
    // THEN the policy depends on the account setting custom resource
    const t = Template.fromStack(s);
    const [settingId] = Object.keys(t.findResources('Custom::EcrAccountSetting'));
    const policy = Object.values(t.findResources('AWS::ECR::RegistryPolicy'))[0] as any;
    expect(policy.DependsOn).toEqual(expect.arrayContaining([settingId]));
  });

  test('V1: nothing is set, and the policy is validated for the three V1 actions', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { registryPolicyScope: RegistryPolicyScope.V1 });
    registry.addToRegistryPolicy(replicationStatement(['ecr:ReplicateImage', 'ecr:CreateRepository']));
    expect(() => registry.addToRegistryPolicy(replicationStatement(['ecr:BatchGetImage'])))
      .toThrow(/\[RegistryStack\/Registry\/RegistryPolicy\] InvalidRegistryPolicyAction: statement 'FromSource' has action 'ecr:BatchGetImage', which the V1 registry policy scope rejects/);
    Template.fromStack(s).resourceCountIs('Custom::EcrAccountSetting', 0);
  });

  test('RegistryAccountSettings refuses to set V1', () => {
    expect(() => new RegistryAccountSettings(stack(), 'AccountSettings', { registryPolicyScope: RegistryPolicyScope.V1 }))
      .toThrow(/\[RegistryStack\/AccountSettings\] RegistryPolicyScopeV1: registryPolicyScope V1 cannot be set: PutAccountSetting only accepts V2/);
  });
});
