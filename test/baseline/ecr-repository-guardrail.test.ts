import { AspectPriority, Aspects, RemovalPolicy, Stack, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EcrRepositoryGuardrail, GuardrailMode } from '../../src/baseline';
import { LifecyclePolicy } from '../../src/lifecycle';
import { newStack, packFindings } from '../nag/nag-test-helpers';

function guard(stack: Stack, mode?: GuardrailMode): void {
  Aspects.of(stack).add(new EcrRepositoryGuardrail(mode ? { mode } : {}), { priority: AspectPriority.MUTATING });
}

function warningIds(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue())
    .map((w) => `${w.id} ${String(w.entry.data).match(/\[ack: ([^\]]+)\]/)?.[1] ?? String(w.entry.data)}`)
    .sort();
}

describe('EcrRepositoryGuardrail', () => {
  test('REPORT (the default) warns about every gap of a plain repository and changes nothing', () => {
    // GIVEN
    const { stack } = newStack();
    new ecr.Repository(stack, 'R');
    guard(stack);

    // WHEN
    const template = Template.fromStack(stack);

    // THEN
    template.hasResource('AWS::ECR::Repository', {
      Properties: Match.absent(),
      DeletionPolicy: 'Retain',
    });
    expect(warningIds(stack)).toEqual([
      '/Stack/R/Resource cdk-secure-registry:guardrailEncryption',
      '/Stack/R/Resource cdk-secure-registry:guardrailLifecyclePolicy',
      '/Stack/R/Resource cdk-secure-registry:guardrailRepositoryName',
      '/Stack/R/Resource cdk-secure-registry:guardrailScanOnPush',
      '/Stack/R/Resource cdk-secure-registry:guardrailTagMutability',
    ]);
  });

  test('ENFORCE fills in tag immutability, scan on push, lifecycle policy and retention on an L1', () => {
    // GIVEN an L1 repository with nothing set
    const { app, stack } = newStack();
    new ecr.CfnRepository(stack, 'Repo', { repositoryName: 'third-party/app' });
    guard(stack, GuardrailMode.ENFORCE);

    // WHEN
    const template = Template.fromStack(stack);

    // THEN
    template.hasResource('AWS::ECR::Repository', {
      Properties: {
        RepositoryName: 'third-party/app',
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        LifecyclePolicy: { LifecyclePolicyText: LifecyclePolicy.secureDefault().render() },
        EncryptionConfiguration: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // only the create-only gap is left, reported by the guardrail and by the pack
    expect(warningIds(stack)).toEqual(['/Stack/Repo cdk-secure-registry:guardrailEncryption']);
    expect(packFindings(app).map((f) => f.rule)).toEqual(['EcrSupplyChain-ESC4']);
  });

  test('ENFORCE never overrides an explicit value, it reports it', () => {
    const { stack } = newStack();
    new ecr.Repository(stack, 'R', {
      repositoryName: 'legacy',
      imageTagMutability: ecr.TagMutability.MUTABLE,
      imageScanOnPush: false,
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    });
    guard(stack, GuardrailMode.ENFORCE);

    const template = Template.fromStack(stack);

    template.hasResource('AWS::ECR::Repository', {
      Properties: Match.objectLike({
        ImageTagMutability: 'MUTABLE',
        ImageScanningConfiguration: { ScanOnPush: false },
        LifecyclePolicy: { LifecyclePolicyText: LifecyclePolicy.secureDefault().render() },
      }),
      DeletionPolicy: 'Delete',
    });
    expect(warningIds(stack)).toEqual([
      '/Stack/R/Resource cdk-secure-registry:guardrailRetention',
      '/Stack/R/Resource cdk-secure-registry:guardrailScanOnPush',
      '/Stack/R/Resource cdk-secure-registry:guardrailTagMutability',
    ]);
  });

  test('ENFORCE uses a given lifecycle policy and keeps an existing one', () => {
    const { stack } = newStack();
    const custom = LifecyclePolicy.fromJson(JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
    }));
    new ecr.CfnRepository(stack, 'Bare', { repositoryName: 'bare' });
    new ecr.Repository(stack, 'Kept', { repositoryName: 'kept', lifecycleRules: [{ maxImageCount: 10 }] });
    const guardrail = new EcrRepositoryGuardrail({ mode: GuardrailMode.ENFORCE, lifecyclePolicy: custom });
    Aspects.of(stack).add(guardrail, { priority: AspectPriority.MUTATING });

    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'bare', LifecyclePolicy: { LifecyclePolicyText: custom.render() } });
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'kept',
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":10') },
    });
  });

  test('leaves other resources alone', () => {
    const { stack } = newStack();
    new ecr.CfnRepositoryCreationTemplate(stack, 'Template', { prefix: 'team', appliedFor: ['CREATE_ON_PUSH'] });
    guard(stack, GuardrailMode.ENFORCE);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      ImageTagMutability: Match.absent(),
    });
    expect(warningIds(stack)).toEqual([]);
  });
});
