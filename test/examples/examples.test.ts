import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { adopt, buildExistingApp } from '../../examples/adopt-existing-app/app';
import { RECIPES } from '../../examples/recipes/recipes';
import { buildFlagship } from '../../examples/secure-registry/app';
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

/*
 * The user's world: `cdk init` writes aws-cdk-lib's currently recommended feature flags into
 * cdk.json (with @aws-cdk/core:enablePartitionLiterals, ARNs render as arn:aws:...; Lambda
 * functions get log groups of their own). Every example passes every pack with them too.
 */
describe('examples with the feature flags cdk init writes', () => {
  const flags = () => compliantApp({ context: CURRENTLY_RECOMMENDED_FLAGS });

  test('flagship', () => {
    const app = flags();
    buildFlagship(app);
    expect(() => synthCompliant(app)).not.toThrow();
  });

  test('single-account', () => {
    const app = flags();
    buildSingleAccount(app);
    expect(() => synthCompliant(app)).not.toThrow();
  });

  test('adopt-existing-app with the guardrail', () => {
    const app = flags();
    buildExistingApp(app);
    adopt(app);
    expect(() => synthCompliant(app)).not.toThrow();
  });

  test.each(Object.keys(RECIPES))('recipe %s', (name) => {
    const app = flags();
    RECIPES[name](app);
    expect(() => synthCompliant(app)).not.toThrow();
  });
});
