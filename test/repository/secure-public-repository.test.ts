import { App, Environment, Stack, Tags, Token, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  PublicRepositoryArchitecture, PublicRepositoryOperatingSystem, SecurePublicRepository,
} from '../../src/repository/secure-public-repository';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { agnosticStack, stackIn } from '../helpers';

function stack(app?: App, env?: Environment): Stack {
  return stackIn(app, 'PublicStack', env);
}

describe('SecurePublicRepository compliance', () => {
  test('a tagged public repository with catalog data and a push grant passes the compliance harness', () => {
    const app = compliantApp();
    const s = stack(app);
    const repo = new SecurePublicRepository(s, 'Cli', {
      repositoryName: 'example-cli',
      description: 'The example CLI',
      tags: { team: 'platform' },
    });
    const publisher = new iam.Role(s, 'Publisher', { assumedBy: new iam.AccountPrincipal('111111111111') });
    repo.grantPush(publisher);
    Validations.of(publisher).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken only accept *' });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(publisher).acknowledge({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason: 'test grantee: the grant goes where the caller keeps its policies' });
    }
    synthCompliant(app);
  });
});

describe('SecurePublicRepository', () => {
  test('renders catalog data, tags, and is retained by default', () => {
    const s = stack();
    new SecurePublicRepository(s, 'Cli', {
      repositoryName: 'tools/example-cli',
      aboutText: '# Example',
      usageText: 'docker pull public.ecr.aws/example/tools/example-cli',
      description: 'The example CLI',
      architectures: [PublicRepositoryArchitecture.X86_64, PublicRepositoryArchitecture.ARM_64, PublicRepositoryArchitecture.X86_64],
      operatingSystems: [PublicRepositoryOperatingSystem.LINUX],
      tags: { team: 'platform' },
    });
    const t = Template.fromStack(s);
    t.hasResource('AWS::ECR::PublicRepository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        RepositoryName: 'tools/example-cli',
        RepositoryCatalogData: {
          AboutText: '# Example',
          UsageText: 'docker pull public.ecr.aws/example/tools/example-cli',
          RepositoryDescription: 'The example CLI',
          Architectures: ['x86-64', 'ARM 64'],
          OperatingSystems: ['Linux'],
        },
        Tags: [{ Key: 'team', Value: 'platform' }],
        RepositoryPolicyText: Match.absent(),
      },
    });
  });

  test('grantPush allows the push actions on the repository and the tokens on * only for ECR Public', () => {
    const s = stack();
    const repo = new SecurePublicRepository(s, 'Cli', { repositoryName: 'example-cli', tags: { a: 'b' } });
    const role = new iam.Role(s, 'Publisher', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    repo.grantPush(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: PUSH,
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Cli'), 'Arn'] },
          },
          { Action: 'ecr-public:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
          {
            Action: 'sts:GetServiceBearerToken',
            Effect: 'Allow',
            Resource: '*',
            Condition: { StringEquals: { 'sts:AWSServiceName': 'ecr-public.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('grantPush to another account goes into the repository policy', () => {
    const s = stack();
    const repo = new SecurePublicRepository(s, 'Cli', { repositoryName: 'example-cli', tags: { a: 'b' } });
    repo.grantPush(new iam.AccountPrincipal('222222222222'));
    Template.fromStack(s).hasResourceProperties('AWS::ECR::PublicRepository', {
      RepositoryPolicyText: {
        Statement: [{
          Action: PUSH,
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', Match.arrayWith([':iam::222222222222:root'])] } },
          Resource: Match.absent(),
        }],
      },
    });
  });

  test('warns when the repository has no tag', () => {
    const s = stack();
    new SecurePublicRepository(s, 'Cli');
    Annotations.fromStack(s).hasWarning('/PublicStack/Cli', Match.stringLikeRegexp('Security Hub control ECR.4'));
  });

  test('does not warn when tags come from Tags.of', () => {
    const s = stack();
    new SecurePublicRepository(s, 'Cli');
    Tags.of(s).add('team', 'platform');
    Annotations.fromStack(s).hasNoWarning('/PublicStack/Cli', Match.anyValue());
  });
});

const PUSH = [
  'ecr-public:BatchCheckLayerAvailability',
  'ecr-public:CompleteLayerUpload',
  'ecr-public:InitiateLayerUpload',
  'ecr-public:PutImage',
  'ecr-public:UploadLayerPart',
];

describe('SecurePublicRepository validation', () => {
  test('fails with PublicRepositoryRegion outside us-east-1', () => {
    expect(() => new SecurePublicRepository(stack(new App(), { account: '111111111111', region: 'eu-west-1' }), 'Cli'))
      .toThrow(/\[PublicStack\/Cli\] PublicRepositoryRegion: Amazon ECR Public repositories exist only in us-east-1, but this stack is in 'eu-west-1'/);
  });

  test.each(['A', 'Example', 'example__cli', 'example/'])('fails with InvalidRepositoryName for %p', (name) => {
    expect(() => new SecurePublicRepository(stack(), 'Cli', { repositoryName: name }))
      .toThrow(new RegExp(`InvalidRepositoryName: repositoryName '${name}'`));
  });

  test.each([
    ['aboutText', 10241],
    ['usageText', 10241],
    ['description', 1025],
  ])('fails with CatalogTextTooLong for %s of %d characters', (prop, length) => {
    expect(() => new SecurePublicRepository(stack(), 'Cli', { [prop]: 'x'.repeat(length) }))
      .toThrow(new RegExp(`CatalogTextTooLong: ${prop} is ${length} characters long`));
  });

  test('fails with TooManyTags over 50 tags', () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 51; i++) tags[`k${i}`] = 'v';
    expect(() => new SecurePublicRepository(stack(), 'Cli', { tags })).toThrow(/TooManyTags: 51 tags given/);
  });

  test.each([[{ ['k'.repeat(128)]: 'v' }], [{ k: '' }]])('fails with InvalidTag for %p', (tags) => {
    expect(() => new SecurePublicRepository(stack(), 'Cli', { tags })).toThrow(/InvalidTag: tag /);
  });

  test('skips tokens: env-agnostic stack, token name, texts and tags', () => {
    const s = agnosticStack(new App(), 'PublicStack');
    const t = Token.asString({ Ref: 'X' });
    expect(() => new SecurePublicRepository(s, 'Cli', { repositoryName: t, description: t, tags: { team: t } })).not.toThrow();
  });
});
