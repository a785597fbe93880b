import { App, Stack, Token, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RegistryBaseline } from '../../src';
import { CreationTemplateAppliedFor, RepositoryCreationTemplate, SecureRegistry } from '../../src/registry';
import { ENV } from '../helpers';

function registry(props = {}): SecureRegistry {
  return new SecureRegistry(new Stack(new App(), 'RegistryStack', { env: ENV }), 'Registry', props);
}

describe('creation templates', () => {
  test('carry the baseline: key ARN, immutable tags, lifecycle policy, repository policy, tags, role', () => {
    // GIVEN
    const r = registry({
      baseline: new RegistryBaseline({
        tags: { team: 'platform' },
        repositoryPolicyStatements: [new iam.PolicyStatement({
          actions: ['ecr:BatchGetImage'], principals: [new iam.AccountPrincipal('333333333333')],
        })],
      }),
    });
    // WHEN
    r.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    // THEN
    const t = Template.fromStack(Stack.of(r));
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'sandbox',
      AppliedFor: ['CREATE_ON_PUSH'],
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecureRegistryKey'), 'Arn'] } },
      ResourceTags: [{ Key: 'team', Value: 'platform' }],
      RepositoryPolicy: Match.anyValue(),
      LifecyclePolicy: Match.stringLikeRegexp('rulePriority'),
      CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CreationTemplate.*Role'), 'Arn'] },
    });
  });

  test('a template that no longer needs a role (AES256, no tags) is updated in place, and its role goes', () => {
    // GIVEN the same template with the KMS baseline, then with AES256 and no tags
    const synth = (baseline?: RegistryBaseline) => {
      const r = registry(baseline ? { baseline } : {});
      r.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
      return Template.fromStack(Stack.of(r));
    };
    const before = synth();
    const after = synth(new RegistryBaseline({ encryption: ecr.RepositoryEncryption.AES_256 }));
    const id = (t: Template) => Object.keys(t.findResources('AWS::ECR::RepositoryCreationTemplate'));
    // THEN one template under one logical id: CustomRoleArn is an updatable property, Prefix (the
    // only create-only one) is unchanged, so CloudFormation updates it and deletes the role after.
    expect(id(after)).toEqual(id(before));
    const [templateId] = id(after);
    expect(before.toJSON().Resources[templateId].Properties.CustomRoleArn).toBeDefined();
    expect(after.toJSON().Resources[templateId].Properties.CustomRoleArn).toBeUndefined();
    expect(after.toJSON().Resources[templateId].Properties.Prefix).toBe(before.toJSON().Resources[templateId].Properties.Prefix);
    after.resourceCountIs('AWS::IAM::Role', 0);
    after.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { EncryptionConfiguration: { EncryptionType: 'AES256' } });
  });

  test('no template unless asked: create on push is opt-in', () => {
    const r = registry();
    r.addRepository('Orders', { repositoryName: 'prod/orders' });
    Template.fromStack(Stack.of(r)).resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 0);
  });

  test('each template has its own role: trusts ECR, scoped to its prefix and key, in a managed policy', () => {
    const r = registry();
    const sandbox = r.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    const root = r.addCreationTemplate({ prefix: 'ROOT', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    const s = Stack.of(r);
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 2);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecr.amazonaws.com' } }] },
      Policies: Match.absent(),
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
    const policyOf = (template: RepositoryCreationTemplate) => {
      const role = s.resolve(template.resource.customRoleArn)['Fn::GetAtt'][0];
      return Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
        .find((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }])) as any;
    };
    const statements = (template: RepositoryCreationTemplate, repositories: string) => [
      {
        Effect: 'Allow',
        Action: ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:us-east-1:111111111111:repository/${repositories}`]] },
      },
      {
        Effect: 'Allow',
        Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'],
        Resource: s.resolve(template.encryptionKey!.keyArn),
      },
    ];
    expect(policyOf(sandbox).Properties.PolicyDocument.Statement).toEqual(statements(sandbox, 'sandbox/*'));
    expect(policyOf(root).Properties.PolicyDocument.Statement).toEqual(statements(root, '*'));
  });

  test('AES256 without tags needs no role', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    new RepositoryCreationTemplate(s, 'T', {
      prefix: 'sandbox',
      appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH],
      baseline: new RegistryBaseline({ encryption: ecr.RepositoryEncryption.AES_256 }),
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { CustomRoleArn: Match.absent(), EncryptionConfiguration: { EncryptionType: 'AES256' } });
  });

  test('a standalone template creates its own role', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    new RepositoryCreationTemplate(s, 'T', { prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    Template.fromStack(s).resourceCountIs('AWS::IAM::Role', 1);
  });

  test.each([
    ['Sandbox'], ['sandbox//x'], ['-x'], ['Root'],
  ])('invalid prefix %p fails', (prefix) => {
    expect(() => registry().addCreationTemplate({ prefix, appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] }))
      .toThrow(/InvalidTemplatePrefix/);
  });

  test('empty appliedFor fails', () => {
    expect(() => registry().addCreationTemplate({ prefix: 'x1', appliedFor: [] })).toThrow(/NoAppliedFor/);
  });

  test('a long description fails', () => {
    expect(() => registry().addCreationTemplate({ prefix: 'x1', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH], description: 'x'.repeat(257) }))
      .toThrow(/InvalidTemplateDescription: description is 257 characters/);
  });

  test('the same prefix with another baseline fails', () => {
    const r = registry();
    r.addCreationTemplate({ prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    expect(() => r.addCreationTemplate({
      prefix: 'prod/', appliedFor: [CreationTemplateAppliedFor.REPLICATION], baseline: new RegistryBaseline({ tags: { a: 'b' } }),
    })).toThrow(/DuplicateCreationTemplatePrefix: a creation template for prefix 'prod' already exists \(RegistryStack\/Registry\/CreationTemplate-prod, for CREATE_ON_PUSH\)/);
  });

  test('the same prefix with the same baseline merges appliedFor', () => {
    const r = registry();
    r.addCreationTemplate({ prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    r.addCreationTemplate({ prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.REPLICATION] });
    const t = Template.fromStack(Stack.of(r));
    t.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 1);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { AppliedFor: ['CREATE_ON_PUSH', 'REPLICATION'] });
  });

  test('token prefixes are skipped', () => {
    const r = registry();
    expect(() => r.addCreationTemplate({ prefix: Token.asString({ Ref: 'P' }), appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] })).not.toThrow();
  });
});

describe('template encryption where ECR offers it', () => {
  const dsse = new RegistryBaseline({ encryption: ecr.RepositoryEncryption.KMS_DSSE });

  test('KMS_DSSE outside AWS GovCloud (US) is refused for templates, as for repositories', () => {
    const s = new Stack(new App(), 'RegistryStack', { env: ENV });
    expect(() => new RepositoryCreationTemplate(s, 'Template', {
      prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH], baseline: dsse,
    })).toThrow(/\[RegistryStack\/Template\] KmsDsseUnavailable: encryption KMS_DSSE is only available in the AWS GovCloud \(US\) Regions, not us-east-1/);
  });

  test('KMS_DSSE in an AWS GovCloud (US) Region is accepted', () => {
    const s = new Stack(new App(), 'RegistryStack', { env: { account: '111111111111', region: 'us-gov-west-1' } });
    expect(() => new RepositoryCreationTemplate(s, 'Template', {
      prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH], baseline: dsse,
    })).not.toThrow();
  });
});
