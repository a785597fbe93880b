import { App, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { decide, resolveIntrinsics, roleIds, rolePolicies } from './iam-proof';
import { buildWorkload, ordersPullGrant } from './workload-fixture';
import { compliantApp, synthCompliant } from '../compliance/harness';

const REGISTRY_ACCOUNT = '111111111111';
const WORKLOAD = { account: '333333333333', region: 'us-east-1' };
const EXEC = 'arn:aws:iam::333333333333:role/orders-task-execution';
const repoArn = (name: string) => `arn:aws:ecr:us-east-1:${REGISTRY_ACCOUNT}:repository/${name}`;

describe('flagship workload (ready for examples/secure-registry WorkloadStack)', () => {
  test('passes every compliance pack', () => {
    const app = compliantApp();
    const stack = new Stack(app, 'WorkloadStack', { env: WORKLOAD });
    buildWorkload(stack, REGISTRY_ACCOUNT);
    // synthCompliant throws on any finding of any pack (its result lists packs only when they report).
    const result = synthCompliant(app);
    expect(result.acknowledgments.map((a) => a.id)).toContain('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
  });

  describe('IAM proof: the execution role pulls prod/orders from 111111111111 and nothing else', () => {
    const stack = new Stack(new App(), 'WorkloadStack', { env: WORKLOAD });
    buildWorkload(stack, REGISTRY_ACCOUNT);
    const template = Template.fromStack(stack);
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('OrdersLogs'))!;
    const p = rolePolicies(stack, roleIds(stack, 'OrdersExecutionRole')[0], {
      [`${logGroupId}.Arn`]: 'arn:aws:logs:us-east-1:333333333333:log-group:orders:*',
    });
    const registryStack = new Stack(new App(), 'RegistryStack', { env: { account: REGISTRY_ACCOUNT, region: 'us-east-1' } });
    const repositoryPolicy = resolveIntrinsics(registryStack.resolve(new iam.PolicyDocument({
      statements: [ordersPullGrant('333333333333')],
    }).toJSON()), { account: REGISTRY_ACCOUNT, region: 'us-east-1' });

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
