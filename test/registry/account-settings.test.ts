import { aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
    // IAM4, LambdaInsideVPC (4 packs), LambdaDLQ and LambdaConcurrency (2 packs each): 9, not 18.
    expect(acks.length).toBe(9);
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
