import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { decide, resolveIntrinsics, roleIds, rolePolicies } from './iam-proof';
import { buildFlagship } from '../../examples/secure-registry/app';

const REGISTRY_ACCOUNT = '111111111111';
const EXEC = 'arn:aws:iam::333333333333:role/orders-task-execution';
const repoArn = (name: string) => `arn:aws:ecr:us-east-1:${REGISTRY_ACCOUNT}:repository/${name}`;

// The flagship's WorkloadStack and RegistryStack, evaluated as IAM would (compliance of the
// whole flagship is checked in test/examples/flagship.test.ts).
describe('flagship workload', () => {
  describe('IAM proof: the execution role pulls prod/orders from 111111111111 and nothing else', () => {
    const { workloadStack: stack, registryStack } = buildFlagship(new App());
    const template = Template.fromStack(stack);
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('OrdersLogs'))!;
    const p = rolePolicies(stack, roleIds(stack, 'OrdersExecutionRole')[0], {
      [`${logGroupId}.Arn`]: 'arn:aws:logs:us-east-1:333333333333:log-group:orders:*',
    });
    // The real repository policy of prod/orders in RegistryStack.
    const repositories = Template.fromStack(registryStack).findResources('AWS::ECR::Repository');
    const orders = Object.values(repositories).find((r: any) => r.Properties.RepositoryName === 'prod/orders') as any;
    const repositoryPolicy = resolveIntrinsics(orders.Properties.RepositoryPolicyText, { account: REGISTRY_ACCOUNT, region: 'us-east-1' });

    test('no inline policies anywhere in the workload', () => {
      expect(p.inlinePolicies).toEqual([]);
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test.each([
      ['ecr:BatchGetImage', repoArn('prod/orders'), 'Allowed'],
      ['ecr:GetDownloadUrlForLayer', repoArn('prod/orders'), 'Allowed'],
      ['ecr:BatchCheckLayerAvailability', repoArn('prod/orders'), 'Allowed'],
      ['ecr:BatchGetImage', repoArn('prod/payments'), 'ImplicitlyDenied'],
      ['ecr:BatchGetImage', repoArn('dev/orders'), 'ImplicitlyDenied'],
      ['ecr:PutImage', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:BatchDeleteImage', repoArn('prod/orders'), 'ImplicitlyDenied'],
    ])('%s on %s -> %s', async (action, resource, expected) => {
      await expect(decide({
        principal: EXEC,
        identityPolicies: p.managedPolicies,
        action,
        resource,
        resourceAccount: REGISTRY_ACCOUNT,
        resourcePolicy: repositoryPolicy,
      })).resolves.toBe(expected);
    });

    test('writes its own log group only', async () => {
      const ask = (resource: string) => decide({
        principal: EXEC, identityPolicies: p.managedPolicies, action: 'logs:PutLogEvents', resource, resourceAccount: '333333333333',
      });
      await expect(ask('arn:aws:logs:us-east-1:333333333333:log-group:orders:log-stream:orders/app/1')).resolves.toBe('Allowed');
      await expect(ask('arn:aws:logs:us-east-1:333333333333:log-group:other:log-stream:x')).resolves.toBe('ImplicitlyDenied');
    });
  });
});
