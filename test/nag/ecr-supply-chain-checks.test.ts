import { RemovalPolicy, Stack, Validations, aws_ecr as ecr, aws_signer as signer } from 'aws-cdk-lib';
import { ENV, newStack, packFindings } from './nag-test-helpers';
import { LifecyclePolicy, LifecycleRule } from '../../src/lifecycle';
import { EcrSupplyChainChecks } from '../../src/nag';
import { secureKey } from '../../src/private/secure-key';
import { SecureRepository } from '../../src/repository';
import { compliantApp, synthCompliant } from '../compliance/harness';

// The compliance harness runs our pack from now on (the lead wires this line into the harness).

/** Rule ids without the `[finding]` suffix. */
function baseIds(findings: Array<{ rule: string }>): string[] {
  return [...new Set(findings.map((f) => f.rule.replace(/\[.*\]$/, '')))].sort(byNumber);
}

function byNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
}

describe('EcrSupplyChainChecks', () => {
  test('is named EcrSupplyChain and lists the exact rule ids per level', () => {
    // GIVEN one resource that breaks every rule
    const { app, stack } = newStack();
    const repo = new ecr.CfnRepository(stack, 'Repo', {
      repositoryPolicyText: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] },
    });
    repo.applyRemovalPolicy(RemovalPolicy.DESTROY);
    new ecr.CfnRepositoryCreationTemplate(stack, 'Template', { prefix: 'team', appliedFor: ['CREATE_ON_PUSH'] });
    new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', { scanType: 'BASIC', rules: [] });
    new ecr.CfnPullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'docker-hub', upstreamRegistry: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io' });
    new ecr.CfnReplicationConfiguration(stack, 'Replication', {
      replicationConfiguration: { rules: [{ destinations: [{ region: 'us-west-2', registryId: ENV.account }] }] },
    });
    new signer.CfnSigningProfile(stack, 'Profile', { platformId: 'Notation-OCI-SHA384-ECDSA' });

    // WHEN
    const findings = packFindings(app);

    // THEN
    expect(new EcrSupplyChainChecks().name).toBe('EcrSupplyChain');
    expect(baseIds(findings.filter((f) => f.severity === 'error'))).toEqual([
      'EcrSupplyChain-ESC1', 'EcrSupplyChain-ESC2', 'EcrSupplyChain-ESC4', 'EcrSupplyChain-ESC5',
      'EcrSupplyChain-ESC7', 'EcrSupplyChain-ESC9', 'EcrSupplyChain-ESC12',
    ]);
    expect(baseIds(findings.filter((f) => f.severity === 'warning'))).toEqual([
      'EcrSupplyChain-ESC3', 'EcrSupplyChain-ESC6', 'EcrSupplyChain-ESC8', 'EcrSupplyChain-ESC10',
      'EcrSupplyChain-ESC11',
    ]);
  });

  test('a plain aws-cdk-lib Repository fails every repository rule that applies', () => {
    // GIVEN aws-cdk-lib's defaults: no scanning, MUTABLE, no lifecycle policy, AES256, RETAIN
    const { app, stack } = newStack();
    new ecr.Repository(stack, 'R');

    // THEN ESC5 does not apply (no policy) and ESC6 passes (the L2 defaults to RETAIN)
    expect(packFindings(app).map((f) => `${f.rule} ${f.path}`)).toEqual([
      'EcrSupplyChain-ESC1 Stack/R/Resource',
      'EcrSupplyChain-ESC2 Stack/R/Resource',
      'EcrSupplyChain-ESC3 Stack/R/Resource',
      'EcrSupplyChain-ESC4 Stack/R/Resource',
    ]);
  });

  test('a plain Repository with DESTROY and emptyOnDelete also fails ESC6', () => {
    const { app, stack } = newStack();
    new ecr.Repository(stack, 'R', { removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
    expect(packFindings(app).map((f) => f.rule)).toContain('EcrSupplyChain-ESC6');
  });

  test('a repository configured with everything passes', () => {
    // GIVEN
    const { app, stack } = newStack();
    new ecr.Repository(stack, 'R', {
      // a key as the library makes them: rotation, and grants only for AWS resources (Control Tower CT.KMS.PR.3)
      encryptionKey: secureKey(stack, 'Key', {}),
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [{ maxImageCount: 30 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // THEN
    expect(packFindings(app)).toEqual([]);
  });

  test('a fully configured repository passes every pack of the compliance harness', () => {
    const app = compliantApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new ecr.Repository(stack, 'R', {
      // a key as the library makes them: rotation, and grants only for AWS resources (Control Tower CT.KMS.PR.3)
      encryptionKey: secureKey(stack, 'Key', {}),
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [{ maxImageCount: 30 }],
    });

    expect(() => synthCompliant(app)).not.toThrow();
  });

  test('runs in the compliance harness and names the rule and the path', () => {
    const app = compliantApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new ecr.Repository(stack, 'R');

    expect(() => synthCompliant(app)).toThrow(/\[EcrSupplyChain\] EcrSupplyChain-ESC1 \(error\) at Stack\/R\/Resource/);
  });

  test('findings can be acknowledged with a reason, which is written to the template', () => {
    // GIVEN a registry that deliberately keeps basic scanning
    const app = compliantApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const scanning = new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
      scanType: 'BASIC',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
    Validations.of(scanning).acknowledge({
      id: 'EcrSupplyChain::EcrSupplyChain-ESC8',
      reason: 'Amazon Inspector is not licensed in this sandbox account; basic scanning on push covers every repository',
    });

    // WHEN
    const result = synthCompliant(app);

    // THEN
    expect(result.packs.find((p) => p.name === 'EcrSupplyChain')).toEqual(expect.objectContaining({ findings: 0 }));
    const template = result.assembly.getStackByName('Stack').template;
    expect(JSON.stringify(template.Resources.Scanning.Metadata)).toContain('EcrSupplyChain-ESC8');
  });

  test('one finding of ESC7 can be acknowledged alone', () => {
    // GIVEN a replication template with mutable tags (acknowledged) and no lifecycle policy (not acknowledged)
    const app = compliantApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const template = new ecr.CfnRepositoryCreationTemplate(stack, 'Template', {
      prefix: 'team',
      appliedFor: ['REPLICATION'],
      imageTagMutability: 'MUTABLE',
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      customRoleArn: 'arn:aws:iam::111111111111:role/ecr-template',
    });
    Validations.of(template).acknowledge({
      id: 'EcrSupplyChain::EcrSupplyChain-ESC7[TagImmutability]',
      reason: 'Replicas keep the source tags, which the source repository already makes immutable',
    });

    // THEN only the lifecycle gap is left
    expect(() => synthCompliant(app)).toThrow(/1 compliance finding\(s\):\n.*EcrSupplyChain-ESC7\[LifecyclePolicy\] \(error\) at Stack\/Template/);
  });
});

describe('ESC13: template size', () => {
  /** A policy of 20 rules with long descriptions: about 4.5 KB of lifecycle text per repository. */
  const heavyPolicy = () => new LifecyclePolicy({
    rules: Array.from({ length: 20 }, (_, i) => LifecycleRule.keepNewest({
      count: 10,
      tagPatternList: [`release-${i}-*`],
      description: `Keep the ten newest images of release train ${i}, which the platform team promotes to production weekly`,
    })),
  });

  test('a stack whose template CloudFormation would reject for its size fails at synth, naming the stack, the size and the fix', () => {
    const app = compliantApp();
    const stack = new Stack(app, 'HeavyStack', { env: ENV });
    const policy = heavyPolicy();
    for (let i = 0; i < 200; i++) {
      new SecureRepository(stack, `Repo${i}`, { repositoryName: `team/app-${i}`, lifecyclePolicy: policy });
    }
    expect(() => synthCompliant(app)).toThrow(
      /EcrSupplyChain-ESC13 \(error\) at HeavyStack: The template of stack HeavyStack is [\d,]+ bytes; CloudFormation rejects templates over 1,000,000 bytes .*CREATE_ON_PUSH creation template/);
  });

  test('the same repositories split over two stacks pass', () => {
    const app = compliantApp();
    const policy = heavyPolicy();
    for (const half of [0, 1]) {
      const stack = new Stack(app, `Stack${half}`, { env: ENV });
      for (let i = 0; i < 100; i++) {
        new SecureRepository(stack, `Repo${i}`, { repositoryName: `team/app-${half}-${i}`, lifecyclePolicy: policy });
      }
    }
    const result = synthCompliant(app);
    const sizes = result.assembly.stacks.map((s) => JSON.stringify(s.template, undefined, 1).length);
    expect(Math.max(...sizes)).toBeLessThan(1_000_000);
    expect(Math.min(...sizes)).toBeGreaterThan(400_000); // heavy enough that the first test is about size, not count
  });
});
