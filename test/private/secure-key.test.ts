import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { secureKey } from '../../src/private/secure-key';
import { SecureRegistry } from '../../src/registry';
import { decide, resolveIntrinsics } from '../access/iam-proof';
import { ENV } from '../helpers';

/** The statement CT.KMS.PR.3 asks for, exactly: the guard rule refuses a boolean or any other key. */
const CT_KMS_PR_3 = {
  Sid: 'DenyGrantsNotForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

describe('every KMS key the library creates (CT.KMS.PR.3)', () => {
  test('the shared registry key and the alerts topic key carry the statement, with rotation on', () => {
    // GIVEN a registry with a repository (shared key) and finding alerts (topic key)
    const stack = new Stack(new App(), 'S', { env: ENV });
    const registry = new SecureRegistry(stack, 'Registry');
    registry.addRepository('Repo', { repositoryName: 'team/api' });
    registry.addFindingAlerts();

    // THEN
    const t = Template.fromStack(stack);
    const keys = t.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(2);
    for (const key of Object.values(keys)) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([CT_KMS_PR_3]));
    }
  });

  describe('what the statement denies (evaluated as IAM would)', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    secureKey(stack, 'Key', { description: 'test' });
    const policy = resolveIntrinsics(Template.fromStack(stack).findResources('AWS::KMS::Key', Match.anyValue()), {
      account: ENV.account, region: ENV.region,
    });
    const keyPolicy = (Object.values(policy)[0] as any).Properties.KeyPolicy;
    const keyArn = `arn:aws:kms:${ENV.region}:${ENV.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const role = `arn:aws:iam::${ENV.account}:role/deployer`;
    const grant = (context: Record<string, string>) => decide({
      principal: role,
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*' }] }],
      action: 'kms:CreateGrant',
      resource: keyArn,
      resourceAccount: ENV.account,
      resourcePolicy: keyPolicy,
      context,
    });

    test('ECR creating its grants for a repository (GrantIsForAWSResource true) stays allowed', async () => {
      expect(await grant({ 'kms:GrantIsForAWSResource': 'true', 'aws:PrincipalIsAWSService': 'false' })).toBe('Allowed');
    });

    test('a principal creating a grant directly is denied', async () => {
      expect(await grant({ 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' })).toBe('ExplicitlyDenied');
    });
  });
});
