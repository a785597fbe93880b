import { App, Aws, CfnDeletionPolicy, CfnParameter, Fn, RemovalPolicy, Stack, aws_ecr as ecr, aws_kms as kms, aws_secretsmanager as secretsmanager, aws_signer as signer } from 'aws-cdk-lib';
import { ENV, findingsOf, newStack } from './nag-test-helpers';
import { LifecyclePolicy } from '../../src/lifecycle';

const LIFECYCLE_TEXT = LifecyclePolicy.secureDefault().render();

describe('EcrSupplyChain-ESC1 EcrRepositoryScanningConfigured', () => {
  const ID = 'EcrSupplyChain-ESC1';

  test('Noncompliant: no scanning at all, or ScanOnPush false', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'None', {});
    new ecr.CfnRepository(stack, 'Off', { imageScanningConfiguration: { scanOnPush: false } });
    expect(findingsOf(app, ID)).toEqual(['Stack/None', 'Stack/Off']);
  });

  test('Compliant: ScanOnPush true and no registry configuration', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'On', { imageScanningConfiguration: { scanOnPush: true } });
    expect(findingsOf(app, ID)).toEqual([]);
  });

  test('registry configuration in another stack of the same registry decides, with ECR filter semantics', () => {
    // GIVEN registry scanning in one stack: `prod*` (anchored wildcard) and `orders` (substring)
    const { app, stack } = newStack('Registry');
    new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
      scanType: 'ENHANCED',
      rules: [
        { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'prod*', filterType: 'WILDCARD' }] },
        { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'orders', filterType: 'WILDCARD' }] },
      ],
    });
    const repos = new Stack(app, 'Repos', { env: ENV });
    // WHEN
    new ecr.CfnRepository(repos, 'Prod', { repositoryName: 'prod/payments' });
    new ecr.CfnRepository(repos, 'Orders', { repositoryName: 'dev/orders-api' });
    new ecr.CfnRepository(repos, 'PreProd', { repositoryName: 'preprod/payments', imageScanningConfiguration: { scanOnPush: true } });
    new ecr.CfnRepository(repos, 'Unnamed', { imageScanningConfiguration: { scanOnPush: true } });
    // THEN repository-level ScanOnPush no longer counts; `prod*` does not match `preprod/...`
    expect(findingsOf(app, ID)).toEqual(['Repos/PreProd', 'Repos/Unnamed']);
  });

  test('a `*` filter covers repositories without a literal name', () => {
    const { app, stack } = newStack();
    new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
      scanType: 'BASIC',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
    new ecr.CfnRepository(stack, 'Unnamed', {});
    expect(findingsOf(app, ID)).toEqual([]);
  });

  test('a registry configuration for another Region does not count', () => {
    const { app, stack } = newStack();
    const other = new Stack(app, 'Other', { env: { account: ENV.account, region: 'eu-west-1' } });
    new ecr.CfnRegistryScanningConfiguration(other, 'Scanning', {
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
    new ecr.CfnRepository(stack, 'Repo', { repositoryName: 'app' });
    expect(findingsOf(app, ID)).toEqual(['Stack/Repo']);
  });

  test('skips a deploy-time ScanOnPush (NOT_APPLICABLE)', () => {
    const { app, stack } = newStack();
    const scan = new CfnParameter(stack, 'Scan', { type: 'String' });
    new ecr.CfnRepository(stack, 'Repo', { imageScanningConfiguration: { scanOnPush: scan.valueAsString as any } });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC2 EcrRepositoryTagImmutability', () => {
  const ID = 'EcrSupplyChain-ESC2';

  test.each([
    [undefined, true],
    ['MUTABLE', true],
    ['MUTABLE_WITH_EXCLUSION', true],
    ['IMMUTABLE', false],
    ['IMMUTABLE_WITH_EXCLUSION', false],
  ])('ImageTagMutability %s -> finding %s', (mutability, finding) => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { imageTagMutability: mutability });
    expect(findingsOf(app, ID)).toEqual(finding ? ['Stack/Repo'] : []);
  });

  test('skips a deploy-time value', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { imageTagMutability: new CfnParameter(stack, 'M').valueAsString });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC3 EcrRepositoryLifecyclePolicy', () => {
  const ID = 'EcrSupplyChain-ESC3';

  test('Noncompliant: no lifecycle policy', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', {});
    new ecr.CfnRepository(stack, 'RegistryOnly', { lifecyclePolicy: { registryId: ENV.account } });
    expect(findingsOf(app, ID)).toEqual(['Stack/Repo', 'Stack/RegistryOnly']);
  });

  test('Compliant: a lifecycle policy text, also from the L2 addLifecycleRule', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { lifecyclePolicy: { lifecyclePolicyText: LIFECYCLE_TEXT } });
    new ecr.Repository(stack, 'L2', { lifecycleRules: [{ maxImageCount: 10 }] });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC4 EcrRepositoryCustomerManagedKey', () => {
  const ID = 'EcrSupplyChain-ESC4';

  test('Noncompliant: AES256 by default or explicit, KMS without a key, the aws/ecr alias', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Default', {});
    new ecr.CfnRepository(stack, 'Aes', { encryptionConfiguration: { encryptionType: 'AES256' } });
    new ecr.CfnRepository(stack, 'AwsManaged', { encryptionConfiguration: { encryptionType: 'KMS' } });
    new ecr.CfnRepository(stack, 'Alias', { encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/aws/ecr' } });
    new ecr.Repository(stack, 'L2Kms', { encryption: ecr.RepositoryEncryption.KMS });
    expect(findingsOf(app, ID)).toEqual(['Stack/Default', 'Stack/Aes', 'Stack/AwsManaged', 'Stack/Alias', 'Stack/L2Kms/Resource']);
  });

  test('Compliant: a key in the app, a key ARN, a customer alias, DSSE with a key', () => {
    const { app, stack } = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new ecr.Repository(stack, 'L2', { encryptionKey: key });
    new ecr.CfnRepository(stack, 'Arn', { encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' } });
    new ecr.CfnRepository(stack, 'Alias', { encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/registry' } });
    new ecr.CfnRepository(stack, 'Dsse', { encryptionConfiguration: { encryptionType: 'KMS_DSSE', kmsKey: key.keyArn } });
    expect(findingsOf(app, ID)).toEqual([]);
  });

  test('skips a deploy-time encryption type', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { encryptionConfiguration: { encryptionType: new CfnParameter(stack, 'T').valueAsString } });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC5 EcrPolicyNoOpenAccess', () => {
  const ID = 'EcrSupplyChain-ESC5';
  const open = (extra: object = {}) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['ecr:BatchGetImage'], ...extra }],
  });

  test('Noncompliant: open repository, registry and template policies', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { repositoryPolicyText: open() });
    new ecr.CfnRepository(stack, 'Star', { repositoryPolicyText: { Statement: { Effect: 'Allow', Principal: '*', Action: 'ecr:*' } } });
    new ecr.CfnRepository(stack, 'Not', { repositoryPolicyText: { Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'ecr:*' }] } });
    new ecr.CfnRegistryPolicy(stack, 'Registry', { policyText: open() });
    new ecr.CfnRepositoryCreationTemplate(stack, 'Template', { prefix: 'team', appliedFor: ['CREATE_ON_PUSH'], repositoryPolicy: JSON.stringify(open()) });
    expect(findingsOf(app, ID)).toEqual(['Stack/Repo', 'Stack/Star', 'Stack/Not', 'Stack/Registry', 'Stack/Template']);
  });

  test('Compliant: no policy, named principals, `*` with an organization condition, Deny', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'None', {});
    new ecr.CfnRepository(stack, 'Named', { repositoryPolicyText: { Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root'] }, Action: 'ecr:BatchGetImage' }] } });
    new ecr.CfnRepository(stack, 'Org', { repositoryPolicyText: open({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } }) });
    new ecr.CfnRegistryPolicy(stack, 'Deny', { policyText: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'ecr:*' }] } });
    expect(findingsOf(app, ID)).toEqual([]);
  });

  test('an empty Condition does not count', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { repositoryPolicyText: open({ Condition: {} }) });
    expect(findingsOf(app, ID)).toEqual(['Stack/Repo']);
  });
});

describe('EcrSupplyChain-ESC6 EcrRepositoryRetained', () => {
  const ID = 'EcrSupplyChain-ESC6';

  test('Noncompliant: no policy (L1 default), DESTROY, retained but emptied on delete, Retain without UpdateReplacePolicy', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'L1', {});
    new ecr.Repository(stack, 'Destroy', { removalPolicy: RemovalPolicy.DESTROY });
    const emptied = new ecr.CfnRepository(stack, 'Emptied', { emptyOnDelete: true });
    emptied.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const noReplace = new ecr.CfnRepository(stack, 'NoReplace', {});
    noReplace.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
    expect(findingsOf(app, ID)).toEqual(['Stack/L1', 'Stack/Destroy/Resource', 'Stack/Emptied', 'Stack/NoReplace']);
  });

  test('Compliant: RETAIN (the L2 default) and RetainExceptOnCreate', () => {
    const { app, stack } = newStack();
    new ecr.Repository(stack, 'Default');
    const onCreate = new ecr.CfnRepository(stack, 'OnCreate', {});
    onCreate.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    onCreate.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC7 EcrCreationTemplatePosture', () => {
  const ID = 'EcrSupplyChain-ESC7';
  const role = 'arn:aws:iam::111111111111:role/ecr-template';

  test('Noncompliant: a bare template has every gap', () => {
    const { app, stack } = newStack();
    new ecr.CfnRepositoryCreationTemplate(stack, 'Bare', { prefix: 'team', appliedFor: ['CREATE_ON_PUSH'] });
    expect(findingsOf(app, ID)).toEqual([
      'Stack/Bare [Encryption]', 'Stack/Bare [TagImmutability]', 'Stack/Bare [LifecyclePolicy]',
    ]);
  });

  test('Noncompliant: a KMS key without a custom role (ECR could not create the repository)', () => {
    const { app, stack } = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new ecr.CfnRepositoryCreationTemplate(stack, 'NoRole', {
      prefix: 'team',
      appliedFor: ['REPLICATION'],
      imageTagMutability: 'IMMUTABLE',
      lifecyclePolicy: LIFECYCLE_TEXT,
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: key.keyArn },
    });
    expect(findingsOf(app, ID)).toEqual(['Stack/NoRole [CustomRole]']);
  });

  test('Compliant: full posture; pull through cache templates may keep tags mutable', () => {
    const { app, stack } = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const posture = {
      lifecyclePolicy: LIFECYCLE_TEXT,
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: key.keyArn },
      customRoleArn: role,
    };
    new ecr.CfnRepositoryCreationTemplate(stack, 'Push', { prefix: 'team', appliedFor: ['CREATE_ON_PUSH', 'REPLICATION'], imageTagMutability: 'IMMUTABLE', ...posture });
    new ecr.CfnRepositoryCreationTemplate(stack, 'Cache', { prefix: 'docker-hub', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'MUTABLE', ...posture });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC8 EcrRegistryEnhancedScanning', () => {
  const ID = 'EcrSupplyChain-ESC8';
  const all = [{ filter: '*', filterType: 'WILDCARD' }];

  test('Noncompliant: BASIC, or ENHANCED with no rules or no filters', () => {
    const { app, stack } = newStack();
    new ecr.CfnRegistryScanningConfiguration(stack, 'Basic', { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: all }] });
    new ecr.CfnRegistryScanningConfiguration(stack, 'NoRules', { scanType: 'ENHANCED', rules: [] });
    new ecr.CfnRegistryScanningConfiguration(stack, 'NoFilters', { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [] }] });
    expect(findingsOf(app, ID)).toEqual(['Stack/Basic', 'Stack/NoRules', 'Stack/NoFilters']);
  });

  test('Compliant: ENHANCED with a filtered rule', () => {
    const { app, stack } = newStack();
    new ecr.CfnRegistryScanningConfiguration(stack, 'Enhanced', { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: all }] });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC9 EcrPullThroughCacheCredentials', () => {
  const ID = 'EcrSupplyChain-ESC9';
  const arn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

  test('Noncompliant: credentialed upstreams without a secret, or with the wrong secret', () => {
    const { app, stack } = newStack();
    new ecr.CfnPullThroughCacheRule(stack, 'DockerHub', { ecrRepositoryPrefix: 'docker-hub', upstreamRegistry: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io' });
    new ecr.CfnPullThroughCacheRule(stack, 'GhcrByUrl', { ecrRepositoryPrefix: 'ghcr', upstreamRegistryUrl: 'ghcr.io' });
    new ecr.CfnPullThroughCacheRule(stack, 'WrongName', {
      ecrRepositoryPrefix: 'azure',
      upstreamRegistry: 'azure-container-registry',
      upstreamRegistryUrl: 'example.azurecr.io',
      credentialArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:azure-creds-AbCdEf',
    });
    const generated = new secretsmanager.Secret(stack, 'Generated');
    new ecr.CfnPullThroughCacheRule(stack, 'GeneratedName', { ecrRepositoryPrefix: 'gitlab', upstreamRegistry: 'gitlab-container-registry', upstreamRegistryUrl: 'registry.gitlab.com', credentialArn: generated.secretArn });
    const cmk = new secretsmanager.Secret(stack, 'Cmk', { secretName: 'ecr-pullthroughcache/chainguard', encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    new ecr.CfnPullThroughCacheRule(stack, 'CmkSecret', { ecrRepositoryPrefix: 'chainguard', upstreamRegistry: 'chainguard', upstreamRegistryUrl: 'cgr.dev', credentialArn: cmk.secretArn });
    expect(findingsOf(app, ID)).toEqual(['Stack/DockerHub', 'Stack/GhcrByUrl', 'Stack/WrongName', 'Stack/GeneratedName', 'Stack/CmkSecret']);
  });

  test('Compliant: a matching ARN, a named secret in the stack, public upstreams without credentials', () => {
    const { app, stack } = newStack();
    new ecr.CfnPullThroughCacheRule(stack, 'Literal', { ecrRepositoryPrefix: 'docker-hub', upstreamRegistry: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: arn });
    const secret = new secretsmanager.Secret(stack, 'Ghcr', { secretName: 'ecr-pullthroughcache/ghcr' });
    new ecr.CfnPullThroughCacheRule(stack, 'Ref', { ecrRepositoryPrefix: 'ghcr', upstreamRegistry: 'github-container-registry', upstreamRegistryUrl: 'ghcr.io', credentialArn: secret.secretArn });
    new ecr.CfnPullThroughCacheRule(stack, 'Public', { ecrRepositoryPrefix: 'ecr-public', upstreamRegistry: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' });
    new ecr.CfnPullThroughCacheRule(stack, 'Quay', { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    new ecr.CfnPullThroughCacheRule(stack, 'Param', {
      ecrRepositoryPrefix: 'docker2',
      upstreamRegistry: 'docker-hub',
      upstreamRegistryUrl: 'registry-1.docker.io',
      credentialArn: new CfnParameter(stack, 'Credential').valueAsString,
    });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC10 EcrReplicationFiltered', () => {
  const ID = 'EcrSupplyChain-ESC10';
  const destinations = [{ region: 'us-west-2', registryId: ENV.account }];

  test('Noncompliant: a rule without filters', () => {
    const { app, stack } = newStack();
    new ecr.CfnReplicationConfiguration(stack, 'Replication', {
      replicationConfiguration: {
        rules: [
          { destinations, repositoryFilters: [{ filter: 'prod/', filterType: 'PREFIX_MATCH' }] },
          { destinations: [{ region: 'eu-west-1', registryId: '222222222222' }] },
        ],
      },
    });
    expect(findingsOf(app, ID)).toEqual(['Stack/Replication']);
  });

  test('Compliant: every rule filtered', () => {
    const { app, stack } = newStack();
    new ecr.CfnReplicationConfiguration(stack, 'Replication', {
      replicationConfiguration: { rules: [{ destinations, repositoryFilters: [{ filter: 'prod/', filterType: 'PREFIX_MATCH' }] }] },
    });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC11 EcrSigningConfigured', () => {
  const ID = 'EcrSupplyChain-ESC11';
  const profileArn = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/registry';

  test('Noncompliant: a Notation profile and no signing configuration, or one with no rules', () => {
    const { app, stack } = newStack();
    new signer.CfnSigningProfile(stack, 'Profile', { platformId: 'Notation-OCI-SHA384-ECDSA' });
    expect(findingsOf(app, ID)).toEqual(['Stack/Profile']);
    new ecr.CfnSigningConfiguration(stack, 'Signing', { rules: [] });
    expect(findingsOf(app, ID)).toEqual(['Stack/Profile']);
  });

  test('Compliant: a signing configuration with a rule in the same registry; Lambda profiles are not concerned', () => {
    const { app, stack } = newStack();
    new signer.CfnSigningProfile(stack, 'Profile', { platformId: 'Notation-OCI-SHA384-ECDSA' });
    new signer.CfnSigningProfile(stack, 'Lambda', { platformId: 'AWSLambda-SHA384-ECDSA' });
    new ecr.CfnSigningConfiguration(stack, 'Signing', {
      rules: [{ signingProfileArn: profileArn, repositoryFilters: [{ filter: 'prod/*', filterType: 'WILDCARD_MATCH' }] }],
    });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('EcrSupplyChain-ESC12 EcrPullThroughCacheTemplate', () => {
  const ID = 'EcrSupplyChain-ESC12';
  const cache = (stack: Stack, id: string, prefix: string) => new ecr.CfnPullThroughCacheRule(stack, id, {
    ecrRepositoryPrefix: prefix, upstreamRegistry: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws',
  });

  test('Noncompliant: no template, a template for another prefix or not applied for pull through cache', () => {
    const { app, stack } = newStack();
    cache(stack, 'NoTemplate', 'ecr-public');
    new ecr.CfnRepositoryCreationTemplate(stack, 'Other', { prefix: 'quay', appliedFor: ['PULL_THROUGH_CACHE'] });
    new ecr.CfnRepositoryCreationTemplate(stack, 'PushOnly', { prefix: 'ROOT', appliedFor: ['CREATE_ON_PUSH'] });
    expect(findingsOf(app, ID)).toEqual(['Stack/NoTemplate']);
  });

  test('Compliant: a template with the same prefix (trailing slash ignored) or ROOT, in any stack of the registry', () => {
    const { app, stack } = newStack();
    cache(stack, 'Same', 'ecr-public');
    new ecr.CfnRepositoryCreationTemplate(stack, 'Template', { prefix: 'ecr-public/', appliedFor: ['PULL_THROUGH_CACHE'] });
    const other = new Stack(app, 'Templates', { env: ENV });
    cache(stack, 'Root', 'k8s');
    new ecr.CfnRepositoryCreationTemplate(other, 'Root', { prefix: 'ROOT', appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'] });
    expect(findingsOf(app, ID)).toEqual([]);
  });
});

describe('registry-wide lookups and deploy-time policies', () => {
  test('two environment-agnostic stacks share a registry; an agnostic and a literal one do not', () => {
    const app = new App();
    const scanning = new Stack(app, 'Scanning');
    new ecr.CfnRegistryScanningConfiguration(scanning, 'Scanning', {
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
    new ecr.CfnRepository(new Stack(app, 'Agnostic'), 'Repo', {});
    new ecr.CfnRepository(new Stack(app, 'Literal', { env: ENV }), 'Repo', { imageScanningConfiguration: { scanOnPush: true } });
    expect(findingsOf(app, 'EcrSupplyChain-ESC1')).toEqual([]);
  });

  test('a policy built with Fn::Join is not judged (NOT_APPLICABLE)', () => {
    const { app, stack } = newStack();
    const text = Fn.join('', ['{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::', Aws.ACCOUNT_ID, ':root"}}]}']);
    new ecr.CfnRepository(stack, 'Repo', { repositoryPolicyText: text });
    expect(findingsOf(app, 'EcrSupplyChain-ESC5')).toEqual([]);
  });

  test('a policy given as a JSON string is parsed', () => {
    const { app, stack } = newStack();
    new ecr.CfnRegistryPolicy(stack, 'Policy', { policyText: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'ecr:ReplicateImage' }] }) });
    expect(findingsOf(app, 'EcrSupplyChain-ESC5')).toEqual(['Stack/Policy']);
  });
});
