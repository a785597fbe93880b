import { Template } from 'aws-cdk-lib/assertions';
import { BasicScanTypeVersion, RegistryAccountSettings, RegistryPolicyScope } from '../../src/registry/account-settings';
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
