import { Template } from 'aws-cdk-lib/assertions';
import { buildFlagship } from '../../examples/secure-registry/app';
import { compliantApp, synthCompliant } from '../compliance/harness';

describe('flagship example', () => {
  test('synthesizes and passes every compliance pack', () => {
    const app = compliantApp();
    buildFlagship(app);
    const result = synthCompliant(app);
    expect(result.assembly.stacks.map((s) => s.stackName)).toEqual(expect.arrayContaining(['RegistryStack']));

    // acknowledgments are written into the template for auditors
    const template = result.assembly.getStackByName('RegistryStack').template;
    const repo = Object.values(template.Resources as Record<string, any>)
      .find((r) => r.Type === 'AWS::ECR::Repository' && r.Properties.RepositoryName === 'prod/orders');
    expect(repo.Metadata.cdk_nag.rules_to_suppress).toEqual(expect.arrayContaining([
      { id: 'AwsSolutions::AwsSolutions-ECR1', reason: expect.stringMatching(/aws:PrincipalOrgID = o-exampleorg1/) },
    ]));
  });

  test('declares the three repositories with the baseline', () => {
    const app = compliantApp();
    const { registryStack } = buildFlagship(app);
    const t = Template.fromStack(registryStack);
    for (const name of ['prod/orders', 'prod/payments', 'dev/orders']) {
      t.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: name, ImageTagMutability: 'IMMUTABLE' });
    }
    t.resourceCountIs('AWS::KMS::Key', 1);
  });
});
