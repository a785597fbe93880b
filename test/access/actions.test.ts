import { App, Stack, aws_ec2 as ec2, aws_ecr as ecr, aws_logs as logs, aws_signer as signer } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { unknownActionPatterns, unknownActions } from './iam-proof';
import { GitHubActionsPushRole, RegistryPullRole, RepositoryPullStatements } from '../../src/access';
import { RegistryEndpoints } from '../../src/network';
import * as ecrActions from '../../src/private/ecr-actions';

/** Every action list of the library (each exported array of src/private/ecr-actions.ts). */
const ACTION_LISTS: Record<string, string[]> = Object.fromEntries(
  Object.entries(ecrActions).filter((e): e is [string, string[]] => Array.isArray(e[1])));

/** The lists the access and network constructs write. */
const ACCESS_ACTIONS = [
  ecrActions.ECR_AUTH_ACTIONS, ecrActions.ECR_PULL_ACTIONS, ecrActions.ECR_REPOSITORY_POLICY_PULL_ACTIONS,
  ecrActions.ECR_PUSH_ACTIONS, ecrActions.ECR_CREATE_ON_PUSH_ACTIONS, ecrActions.SIGNER_SIGN_ACTIONS,
  ecrActions.ECR_DESCRIBE_ACTIONS, ecrActions.ECR_PULL_THROUGH_CACHE_ACTIONS, ecrActions.LOGS_WRITE_ACTIONS,
  ecrActions.S3_LAYER_READ_ACTIONS,
].flat();
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
  test('every action list', async () => {
    expect(Object.keys(ACTION_LISTS).length).toBeGreaterThanOrEqual(18);
    for (const [name, actions] of Object.entries(ACTION_LISTS)) {
      expect(actions.length).toBeGreaterThan(0);
      // A list may name a group with a trailing wildcard (kms:GenerateDataKey*): it must match an action.
      await expect(unknownActionPatterns(actions).then((unknown) => ({ [name]: unknown })))
        .resolves.toEqual({ [name]: [] });
    }
  });

  test('a wildcard that matches no action is reported', async () => {
    await expect(unknownActionPatterns(['kms:GenerateDataKey*', 'kms:NoSuchThing*', 'ecr:PullImage']))
      .resolves.toEqual(['kms:NoSuchThing*', 'ecr:PullImage']);
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
      signingProfiles: [signer.SigningProfile.fromSigningProfileAttributes(stack, 'Profile', {
        signingProfileName: 'prod_signing',
        signingProfileVersion: 'abcdef1234',
      })],
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
    expect(actions).toEqual(expect.arrayContaining(ACCESS_ACTIONS));
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    await expect(unknownActions(actions)).resolves.toEqual([]);
  });

  test('the check can fail: a made-up action is reported', async () => {
    await expect(unknownActions(['ecr:PullImage', 'ecr:BatchGetImage', 'ecr:*'])).resolves.toEqual(['ecr:PullImage', 'ecr:*']);
  });
});
