import { App, Stack, aws_ec2 as ec2, aws_ecr as ecr, aws_logs as logs } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { unknownActions } from './iam-proof';
import { GitHubActionsPushRole, RegistryPullRole, RepositoryPullStatements } from '../../src/access';
import { RegistryEndpoints } from '../../src/network';
import { ALL_ACCESS_ACTIONS } from '../../src/private/ecr-actions';
import { ENV } from '../helpers';

/** Every `Action` anywhere in a template (policies, endpoint policies, repository policies). */
function templateActions(stack: Stack): string[] {
  const out = new Set<string>();
  const walk = (v: any) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'Action') {
          [child].flat().forEach((a) => typeof a === 'string' && out.add(a));
        } else {
          walk(child);
        }
      }
    }
  };
  walk(Template.fromStack(stack).toJSON().Resources);
  return [...out].sort();
}

describe('every action the library writes exists in the service authorization reference', () => {
  test('the action constants', async () => {
    await expect(unknownActions(ALL_ACCESS_ACTIONS)).resolves.toEqual([]);
  });

  test('a stack with every access and network construct, all options on', async () => {
    // GIVEN
    const stack = new Stack(new App(), 'All', { env: ENV });
    const repo = new ecr.Repository(stack, 'Repo', { repositoryName: 'prod/orders' });
    new GitHubActionsPushRole(stack, 'Push', {
      githubRepository: 'example-org/orders',
      repositories: [repo],
      repositoryPrefixes: ['team-a/'],
      createOnPush: true,
      signingProfileArns: ['arn:aws:signer:us-east-1:111111111111:/signing-profiles/prod_signing'],
    });
    new RegistryPullRole(stack, 'Pull', { repositories: [repo], pullThroughCache: true, logGroups: [new logs.LogGroup(stack, 'Logs')] });
    repo.addToResourcePolicy(RepositoryPullStatements.pullForAccounts({ accounts: ['333333333333'] }));
    RepositoryPullStatements.pullForLambda({ registryAccount: '111111111111', region: 'us-east-1', functionAccounts: ['333333333333'] })
      .forEach((s) => repo.addToResourcePolicy(s));
    const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new RegistryEndpoints(stack, 'Endpoints', { vpc, allowPush: true, secretsManager: true });

    // WHEN
    const actions = templateActions(stack).filter((a) => a !== 'sts:AssumeRole' && a !== 'sts:AssumeRoleWithWebIdentity');

    // THEN
    expect(actions).toEqual(expect.arrayContaining(ALL_ACCESS_ACTIONS));
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    await expect(unknownActions(actions)).resolves.toEqual([]);
  });

  test('the check can fail: a made-up action is reported', async () => {
    await expect(unknownActions(['ecr:PullImage', 'ecr:BatchGetImage', 'ecr:*'])).resolves.toEqual(['ecr:PullImage', 'ecr:*']);
  });
});
