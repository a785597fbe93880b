import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RECIPES } from '../../examples/recipes/recipes';

describe('the verified-image recipe', () => {
  test("the CLI's publishing role gets a policy to look up and push to the governed repository", () => {
    // The CLI calls DescribeRepositories and DescribeImages before it pushes an image asset, and the
    // bootstrap policy allows them on the bootstrap repository only. (An immutable import would
    // drop these same-account grants silently.)
    const [registryStack] = RECIPES['verified-image'](new App());
    const policies = Object.values(Template.fromStack(registryStack).findResources('AWS::IAM::Policy')) as any[];
    const publishing = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes('image-publishing-role'));
    expect(publishing).toHaveLength(1);
    const statements: any[] = publishing[0].Properties.PolicyDocument.Statement;
    const onRepository = statements.filter((s) => JSON.stringify(s.Resource).includes('RegistryOrders'))
      .flatMap((s) => [s.Action].flat());
    expect(onRepository).toEqual(expect.arrayContaining([
      'ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:PutImage', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload',
    ]));
  });
});
