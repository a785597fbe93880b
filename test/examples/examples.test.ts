import { Template } from 'aws-cdk-lib/assertions';
import { adopt, buildExistingApp } from '../../examples/adopt-existing-app/app';
import { buildSingleAccount } from '../../examples/single-account/app';
import { compliantApp, synthCompliant } from '../compliance/harness';

describe('single-account example', () => {
  test('passes every compliance pack with one key, two repositories, a cache and replication', () => {
    const app = compliantApp();
    const stack = buildSingleAccount(app);
    synthCompliant(app);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.resourceCountIs('AWS::ECR::Repository', 2);
    t.resourceCountIs('AWS::ECR::PullThroughCacheRule', 1);
    t.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
  });

  test('needs no Lambda-backed custom resource', () => {
    const app = compliantApp();
    const t = Template.fromStack(buildSingleAccount(app));
    t.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(t.toJSON().Resources).filter((r: any) => r.Type.startsWith('Custom::'))).toEqual([]);
  });
});

describe('adopt-existing-app example', () => {
  test('without the guardrail, the plain repositories fail our pack', () => {
    const app = compliantApp();
    buildExistingApp(app);
    expect(() => synthCompliant(app)).toThrow(/EcrSupplyChain-ESC1 .*LegacyServices\/Billing/);
  });

  test('with the guardrail in ENFORCE mode, the same app passes every pack', () => {
    const app = compliantApp();
    const stack = buildExistingApp(app);
    adopt(app);
    synthCompliant(app);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'legacy/reports',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
    });
  });
});
