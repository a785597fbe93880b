import { Match, Template } from 'aws-cdk-lib/assertions';
import { ORDERS_IMAGE_DIGEST, buildFlagship } from '../../examples/secure-registry/app';
import { compliantApp, synthCompliant } from '../compliance/harness';

describe('flagship example', () => {
  const app = compliantApp();
  const flagship = buildFlagship(app);
  const result = synthCompliant(app);
  const registry = Template.fromStack(flagship.registryStack);

  test('synthesizes four stacks that pass every compliance pack', () => {
    expect(result.assembly.stacks.map((s) => s.stackName).sort()).toEqual(
      ['DrRegistryStack', 'RegistryStack', 'ReplicaRegistryStack', 'WorkloadStack']);
    expect(result.packs.map((p) => p.name)).toEqual(expect.arrayContaining([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'EcrSupplyChain',
    ]));
  });

  test('Lambda-backed custom resources: the blob-mounting account setting and the VerifiedImage check, nothing else', () => {
    const lambdaBacked = Object.fromEntries(result.assembly.stacks.map((stack) => [stack.stackName,
      Object.values(stack.template.Resources as Record<string, { Type: string }>).map((r) => r.Type)
        .filter((t) => t === 'AWS::Lambda::Function' || t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')
        .sort()]));
    expect(lambdaBacked).toEqual({
      RegistryStack: ['AWS::Lambda::Function', 'Custom::EcrAccountSetting'],
      DrRegistryStack: [],
      ReplicaRegistryStack: [],
      WorkloadStack: ['AWS::Lambda::Function', 'Custom::VerifiedImage'],
    });
  });

  test('acknowledgments are written into the templates for auditors', () => {
    const template = result.assembly.getStackByName('RegistryStack').template;
    const repo = Object.values(template.Resources as Record<string, any>)
      .find((r) => r.Type === 'AWS::ECR::Repository' && r.Properties.RepositoryName === 'prod/orders');
    expect(repo.Metadata.cdk_nag.rules_to_suppress).toEqual(expect.arrayContaining([
      { id: 'AwsSolutions::AwsSolutions-ECR1', reason: expect.stringMatching(/aws:PrincipalOrgID = o-exampleorg1/) },
    ]));
  });

  test('every registry-level resource appears at most once per environment', () => {
    const singletons = ['AWS::ECR::RegistryScanningConfiguration', 'AWS::ECR::ReplicationConfiguration',
      'AWS::ECR::SigningConfiguration', 'AWS::ECR::RegistryPolicy'];
    const counts = (stack: any) => Object.fromEntries(singletons.map((type) =>
      [type, Object.keys(Template.fromStack(stack).findResources(type)).length]));
    expect(counts(flagship.registryStack)).toEqual({
      'AWS::ECR::RegistryScanningConfiguration': 1,
      'AWS::ECR::ReplicationConfiguration': 1,
      'AWS::ECR::SigningConfiguration': 1,
      'AWS::ECR::RegistryPolicy': 0,
    });
    // the other account's destination grants the source in its one registry policy
    expect(counts(flagship.drStack)).toEqual({
      'AWS::ECR::RegistryScanningConfiguration': 1,
      'AWS::ECR::ReplicationConfiguration': 0,
      'AWS::ECR::SigningConfiguration': 0,
      'AWS::ECR::RegistryPolicy': 1,
    });
    // same account, other Region: no registry policy is needed
    expect(counts(flagship.replicaStack)).toEqual({
      'AWS::ECR::RegistryScanningConfiguration': 1,
      'AWS::ECR::ReplicationConfiguration': 0,
      'AWS::ECR::SigningConfiguration': 0,
      'AWS::ECR::RegistryPolicy': 0,
    });
    expect(Object.values(counts(flagship.workloadStack))).toEqual([0, 0, 0, 0]);
  });

  test('RegistryStack: enhanced scanning, continuous for prod/*', () => {
    registry.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: Match.arrayWith([Match.objectLike({
        ScanFrequency: 'CONTINUOUS_SCAN',
        RepositoryFilters: [{ Filter: 'prod/*', FilterType: 'WILDCARD' }],
      })]),
    });
  });

  test('RegistryStack: prod/ replicated to us-west-2 and to 222222222222/eu-west-1', () => {
    registry.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{
          Destinations: Match.arrayWith([
            { Region: 'us-west-2', RegistryId: '111111111111' },
            { Region: 'eu-west-1', RegistryId: '222222222222' },
          ]),
          RepositoryFilters: [{ Filter: 'prod/', FilterType: 'PREFIX_MATCH' }],
        }],
      },
    });
  });

  test('RegistryStack: five pull-through caches and creation templates for each kind', () => {
    registry.resourceCountIs('AWS::ECR::PullThroughCacheRule', 5);
    for (const upstream of ['docker-hub', 'github-container-registry', 'ecr-public', 'quay', 'k8s']) {
      registry.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { UpstreamRegistry: upstream });
    }
    registry.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { AppliedFor: ['CREATE_ON_PUSH'] });
    registry.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { AppliedFor: ['PULL_THROUGH_CACHE'] });
    Template.fromStack(flagship.drStack).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { AppliedFor: ['REPLICATION'] });
    Template.fromStack(flagship.replicaStack).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { AppliedFor: ['REPLICATION'] });
  });

  test('RegistryStack: prod/ is signed on push and the push role may sign', () => {
    registry.hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [Match.objectLike({ RepositoryFilters: [{ Filter: 'prod/*', FilterType: 'WILDCARD_MATCH' }] })],
    });
    registry.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'signer:SignPayload' })]) },
    });
  });

  test('RegistryStack: the release lifecycle policy on the repositories', () => {
    const repos = registry.findResources('AWS::ECR::Repository');
    const rulesOf = (name: string) => JSON.parse((Object.values(repos).find((r: any) => r.Properties.RepositoryName === name) as any)
      .Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    const archive = { type: 'transition', targetStorageClass: 'archive' };
    // prod/ is signed: releases beyond the last 30 and images not pulled for 90 days are archived,
    // nothing is expired, and no rule selects untagged images (signatures follow their subject).
    expect(rulesOf('prod/orders')).toEqual([
      expect.objectContaining({ action: archive, selection: expect.objectContaining({ tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 30 }) }),
      expect.objectContaining({ action: archive, selection: expect.objectContaining({ tagStatus: 'tagged', countType: 'sinceImagePulled', countNumber: 90 }) }),
    ]);
    // dev/ is not signed: untagged images expire after 7 days.
    expect(rulesOf('dev/orders')).toEqual(expect.arrayContaining([
      expect.objectContaining({ selection: expect.objectContaining({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7 }) }),
    ]));
  });

  test('RegistryStack: alerts on CRITICAL and HIGH findings to an encrypted topic', () => {
    registry.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    registry.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.inspector2'] }),
    });
  });

  test('WorkloadStack: the execution role and the image check reach prod/orders in the registry account and nothing else', () => {
    const workload = Template.fromStack(flagship.workloadStack);
    workload.hasResourceProperties('AWS::IAM::Role', { RoleName: 'orders-task-execution' });
    const policies = workload.findResources('AWS::IAM::ManagedPolicy');
    const ecrResources = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('ecr:') && a !== 'ecr:GetAuthorizationToken'))
      .flatMap((s: any) => [s.Resource].flat());
    // The check role's ARN is written with the partition as a reference: read it as aws.
    const literal = (r: any) => typeof r === 'string' ? r
      : r['Fn::Join'][1].map((part: any) => typeof part === 'string' ? part : part.Ref === 'AWS::Partition' ? 'aws' : '?').join('');
    expect(new Set(ecrResources.map((r: any) => JSON.stringify(literal(r))))).toEqual(
      new Set([JSON.stringify('arn:aws:ecr:us-east-1:111111111111:repository/prod/orders')]));
  });

  test('WorkloadStack: prod/orders deploys by digest, through the check', () => {
    const workload = Template.fromStack(flagship.workloadStack);
    const check = Object.entries(workload.findResources('Custom::VerifiedImage'));
    expect(check).toHaveLength(1);
    const [checkId, resource] = check[0] as [string, any];
    expect(resource.Properties).toMatchObject({ RepositoryName: 'prod/orders', RegistryId: '111111111111', ImageDigest: ORDERS_IMAGE_DIGEST });
    // Signed by the registry's prod/* rule: a profile of 111111111111 in us-east-1.
    expect(JSON.stringify(resource.Properties.Policy)).toContain(':signer:us-east-1:111111111111:/signing-profiles/*');
    // The container image is <registry>/prod/orders@sha256:<what the check returned>.
    const task = JSON.stringify(workload.findResources('AWS::ECS::TaskDefinition'));
    expect(task).toContain(`/prod/orders@sha256:",{"Fn::GetAtt":["${checkId}","ImageDigestHex"]}`);
    // The check runs in the isolated subnets.
    workload.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }) });
    // And the registry's repository policy admits the check role, for its reads only.
    const repo = Object.values(registry.findResources('AWS::ECR::Repository'))
      .find((r: any) => r.Properties.RepositoryName === 'prod/orders') as any;
    const checkStatement = repo.Properties.RepositoryPolicyText.Statement
      .find((st: any) => [st.Action].flat().includes('ecr:DescribeImageScanFindings'));
    expect(checkStatement.Action).toEqual(['ecr:DescribeImageScanFindings', 'ecr:DescribeImageSigningStatus', 'ecr:DescribeImages']);
    expect(JSON.stringify(checkStatement.Condition)).toMatch(/:iam::333333333333:role\/workloadstack/);
  });
});
