import { Duration, Token, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EcrApi, FindingSeverity, ScanFindingAlerts } from '../../src/registry/finding-alerts';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { stackIn as stack } from '../helpers';

describe('ScanFindingAlerts compliance', () => {
  test('the default topic, key, rules and a pull alarm pass the compliance harness', () => {
    const app = compliantApp();
    const s = stack(app);
    const alerts = new ScanFindingAlerts(s, 'Alerts', { repositoryPrefixes: ['prod/'] });
    alerts.addPullCountAlarm('OrdersPulls', { repositoryName: 'prod/orders', threshold: 1000 });
    alerts.addApiQuotaAlarm('AuthQuota', { api: EcrApi.GET_AUTHORIZATION_TOKEN });
    const result = synthCompliant(app);
    expect(result.acknowledgments).toEqual([]);
  });
});

describe('ScanFindingAlerts defaults', () => {
  test('CRITICAL and HIGH enhanced findings on ECR images go to the topic', () => {
    const s = stack();
    const alerts = new ScanFindingAlerts(s, 'Alerts');
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.inspector2'],
        'detail-type': ['Inspector2 Finding'],
        'detail': { severity: ['CRITICAL', 'HIGH'], status: ['ACTIVE'], resources: { type: ['AWS_ECR_CONTAINER_IMAGE'] } },
      },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('AlertsTopic') } }],
    });
    expect(alerts.severities).toEqual([FindingSeverity.CRITICAL, FindingSeverity.HIGH]);
  });

  test('basic scan findings match any chosen severity count above zero', () => {
    const s = stack();
    new ScanFindingAlerts(s, 'Alerts');
    Template.fromStack(s).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ecr'],
        'detail-type': ['ECR Image Scan'],
        'detail': {
          'scan-status': ['COMPLETE'],
          '$or': [
            { 'finding-severity-counts': { CRITICAL: [{ numeric: ['>', 0] }] } },
            { 'finding-severity-counts': { HIGH: [{ numeric: ['>', 0] }] } },
          ],
        },
      },
    });
  });

  test('replication failures are opt-in: ECR emits them in the destination Region', () => {
    const s = stack();
    new ScanFindingAlerts(s, 'Alerts');
    Template.fromStack(s).resourceCountIs('AWS::Events::Rule', 2);
    const d = stack();
    new ScanFindingAlerts(d, 'Alerts', { includeReplicationFailures: true });
    Template.fromStack(d).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.ecr'], 'detail-type': ['ECR Replication Action'], 'detail': { result: ['FAILED'] } },
    });
  });

  test('the topic is encrypted with a rotating CMK; only this construct\'s rules may publish, over TLS', () => {
    const s = stack();
    new ScanFindingAlerts(s, 'Alerts');
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsKey'), 'Arn'] } });
    // One EventBridge key statement (no aws:Source* condition: SNS documents that EventBridge's
    // KMS requests do not carry them), not a second unconditioned copy from the SNS target.
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0] as any;
    const eventsKeyStatements = key.Properties.KeyPolicy.Statement.filter((st: any) => st.Principal?.Service === 'events.amazonaws.com');
    expect(eventsKeyStatements).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    }]);
    // The topic policy admits each rule by its ARN, in this account, and denies plain HTTP.
    const policy = Object.values(t.findResources('AWS::SNS::TopicPolicy'))[0] as any;
    const statements = policy.Properties.PolicyDocument.Statement;
    const rules = Object.keys(t.findResources('AWS::Events::Rule'));
    const allows = statements.filter((st: any) => st.Effect === 'Allow');
    expect(allows).toHaveLength(rules.length);
    for (const st of allows) {
      expect(st).toMatchObject({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^Alerts/), 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': '111111111111' },
        },
      });
    }
    expect(allows.map((st: any) => st.Condition.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0]).sort()).toEqual(rules.sort());
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Deny',
      Action: 'sns:Publish',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    })]));
  });

  test('a pull-count alarm can publish to the encrypted topic: CloudWatch in the key and topic policies', () => {
    const s = stack();
    const alerts = new ScanFindingAlerts(s, 'Alerts');
    const alarm = alerts.addPullCountAlarm('Pulls', { repositoryName: 'prod/orders', threshold: 100 });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        }]),
      },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            ArnEquals: { 'aws:SourceArn': s.resolve(alarm.alarmArn) },
            StringEquals: { 'aws:SourceAccount': '111111111111' },
          },
        })]),
      },
    });
  });
});

describe('ScanFindingAlerts options', () => {
  test('a single severity needs no $or, UNDEFINED maps to Inspector UNTRIAGED, prefixes filter every rule', () => {
    const s = stack();
    new ScanFindingAlerts(s, 'Alerts', {
      severities: [FindingSeverity.UNDEFINED],
      repositoryPrefixes: ['prod/', 'prod/'],
      includeReplicationFailures: true,
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.inspector2'],
        detail: {
          severity: ['UNTRIAGED'],
          resources: { details: { awsEcrContainerImage: { repositoryName: [{ prefix: 'prod/' }] } } },
        },
      },
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['ECR Image Scan'],
        'detail': {
          'repository-name': [{ prefix: 'prod/' }],
          'finding-severity-counts': { UNDEFINED: [{ numeric: ['>', 0] }] },
          '$or': Match.absent(),
        },
      },
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': ['ECR Replication Action'], 'detail': { 'repository-name': [{ prefix: 'prod/' }] } },
    });
  });

  test('a given topic is used and no topic or key is created; replication failures can be left out', () => {
    const s = stack();
    const topic = sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:us-east-1:111111111111:security');
    const alerts = new ScanFindingAlerts(s, 'Alerts', { topic, includeReplicationFailures: false });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.resourceCountIs('AWS::Events::Rule', 2);
    expect(alerts.topic).toBe(topic);
    expect(alerts.replicationFailuresRule).toBeUndefined();
  });

  test('addPullCountAlarm alarms on AWS/ECR RepositoryPullCount for one repository, to the topic', () => {
    const s = stack();
    const alerts = new ScanFindingAlerts(s, 'Alerts');
    alerts.addPullCountAlarm('Pulls', { repositoryName: 'prod/orders', threshold: 500, period: Duration.minutes(5), evaluationPeriods: 2 });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ECR',
      MetricName: 'RepositoryPullCount',
      Dimensions: [{ Name: 'RepositoryName', Value: 'prod/orders' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 500,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
    });
  });
});

describe('addApiQuotaAlarm', () => {
  test('alarms on AWS/Usage CallCount (Service ECR, Type API, Resource the API) against SERVICE_QUOTA, to the topic', () => {
    const s = stack();
    const alerts = new ScanFindingAlerts(s, 'Alerts');
    alerts.addApiQuotaAlarm('AuthQuota', { api: EcrApi.GET_AUTHORIZATION_TOKEN });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: '100 * (calls / PERIOD(calls)) / SERVICE_QUOTA(calls)',
          ReturnData: true,
        },
        {
          Id: 'calls',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Usage',
              MetricName: 'CallCount',
              Dimensions: Match.arrayEquals([
                { Name: 'Resource', Value: 'GetAuthorizationToken' },
                { Name: 'Service', Value: 'ECR' },
                { Name: 'Type', Value: 'API' },
              ]),
            },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: false,
        },
      ],
      Threshold: 80,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
    });
    // ECR does not use the Class dimension: a metric with it would never match.
    expect(JSON.stringify(t.findResources('AWS::CloudWatch::Alarm'))).not.toContain('"Class"');
  });

  test('CloudWatch may publish this alarm to the encrypted topic', () => {
    const s = stack();
    const alerts = new ScanFindingAlerts(s, 'Alerts');
    alerts.addApiQuotaAlarm('PullQuota', { api: EcrApi.BATCH_GET_IMAGE, thresholdPercent: 50 });
    Template.fromStack(s).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test.each([
    [{ api: EcrApi.PUT_IMAGE, thresholdPercent: 0 }, /InvalidAlarmThreshold: thresholdPercent 0/],
    [{ api: EcrApi.PUT_IMAGE, thresholdPercent: 120 }, /InvalidAlarmThreshold: thresholdPercent 120/],
    [{ api: EcrApi.PUT_IMAGE, evaluationPeriods: 1.5 }, /InvalidEvaluationPeriods: evaluationPeriods 1.5/],
    [{ api: 'DescribeImages' as EcrApi }, /UnknownEcrApi: api 'DescribeImages' is not an API ECR publishes usage for/],
    [{ api: EcrApi.PUT_IMAGE, period: Duration.seconds(30) }, /InvalidAlarmPeriod: period 30 s is not a whole number of minutes/],
    [{ api: EcrApi.PUT_IMAGE, period: Duration.minutes(30), evaluationPeriods: 49 }, /InvalidAlarmPeriod: period 1800 s x evaluationPeriods 49 is longer than one day/],
  ])('refuses %p', (options, error) => {
    const alerts = new ScanFindingAlerts(stack(), 'Alerts');
    expect(() => alerts.addApiQuotaAlarm('Q', options)).toThrow(error);
  });
});

describe('ScanFindingAlerts validation', () => {
  test('fails with NoSeverities for an empty list', () => {
    expect(() => new ScanFindingAlerts(stack(), 'Alerts', { severities: [] }))
      .toThrow(/\[RegistryStack\/Alerts\] NoSeverities: severities is empty/);
  });

  test.each(['Prod/', '/prod', ''])('fails with InvalidRepositoryPrefix for %p', (prefix) => {
    expect(() => new ScanFindingAlerts(stack(), 'Alerts', { repositoryPrefixes: [prefix] }))
      .toThrow(new RegExp(`InvalidRepositoryPrefix: repositoryPrefixes entry '${prefix.replace('/', '\\/')}'`));
  });

  test('fails with InvalidAlarmThreshold and InvalidEvaluationPeriods together', () => {
    const alerts = new ScanFindingAlerts(stack(), 'Alerts');
    expect(() => alerts.addPullCountAlarm('A', { repositoryName: 'r1', threshold: -1, evaluationPeriods: 0 }))
      .toThrow(/2 problems:\n {2}- InvalidAlarmThreshold: threshold -1 .*\n {2}- InvalidEvaluationPeriods: evaluationPeriods 0/);
  });

  test('skips tokens in prefixes and thresholds', () => {
    const s = stack();
    const alerts = new ScanFindingAlerts(s, 'Alerts', { repositoryPrefixes: [Token.asString({ Ref: 'Prefix' })] });
    expect(() => alerts.addPullCountAlarm('A', { repositoryName: 'r1', threshold: Token.asNumber({ Ref: 'T' }) })).not.toThrow();
  });
});
