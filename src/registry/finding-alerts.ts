import {
  Duration, Token,
  aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as cwactions, aws_events as events,
  aws_kms as kms, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { allowAlarm, alertsTopic, eventPrefixes } from '../private/alerts-topic';
import { Problems } from '../private/errors';
import { futurePath } from '../private/scope-path';
import {
  BOOLEAN, DURATION, ID, NUMBER, STRING, TOPIC, arrayOf, checkArgs, constructArgs, enumOf, required, struct, withExample,
} from '../private/shape';
import { validateRepositoryName } from '../private/validation';

/**
 * Severity of a vulnerability finding.
 *
 * Basic scanning reports `finding-severity-counts` with these keys; enhanced scanning (Amazon
 * Inspector) uses the same names, with `UNTRIAGED` for `UNDEFINED`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageScanFinding.html
 */
export enum FindingSeverity {
  /** Critical. */
  CRITICAL = 'CRITICAL',
  /** High. */
  HIGH = 'HIGH',
  /** Medium. */
  MEDIUM = 'MEDIUM',
  /** Low. */
  LOW = 'LOW',
  /** Informational. */
  INFORMATIONAL = 'INFORMATIONAL',
  /** Not yet rated (Inspector: `UNTRIAGED`). */
  UNDEFINED = 'UNDEFINED',
}

/**
 * Properties of `ScanFindingAlerts`.
 */
export interface ScanFindingAlertsProps {
  /**
   * The severities that raise an alert (any finding with one of them).
   *
   * @default [FindingSeverity.CRITICAL, FindingSeverity.HIGH]
   */
  readonly severities?: FindingSeverity[];

  /**
   * The topic that receives the alerts.
   *
   * If you pass an encrypted topic, its key policy must let `events.amazonaws.com` (and, for
   * pull-count alarms, `cloudwatch.amazonaws.com`) use the key (`kms:Decrypt`,
   * `kms:GenerateDataKey*`): both services silently drop messages to a topic encrypted with the
   * AWS managed `aws/sns` key.
   *
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   * @default - a new topic encrypted with a new customer managed key (rotation on) that
   * EventBridge and CloudWatch may use, whose topic policy admits only this construct's rules
   * and alarms (`aws:SourceArn`, `aws:SourceAccount`) and denies requests without TLS
   */
  readonly topic?: sns.ITopic;

  /**
   * Only alert for repositories whose name starts with one of these prefixes (e.g. `prod/`).
   *
   * @default - every repository in the registry
   */
  readonly repositoryPrefixes?: string[];

  /**
   * Also alert when an image fails to replicate into this registry (`ECR Replication Action`
   * with result `FAILED`). ECR emits replication events in the destination Region, so this only
   * fires in the registry replicated into; `ReplicationDestination` sets up these alerts itself
   * (`failureAlerts`).
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
   * @default false - a source registry never receives these events
   */
  readonly includeReplicationFailures?: boolean;
}

/**
 * Options for an alarm on the number of pulls of one repository.
 */
export interface PullCountAlarmOptions {
  /** The repository name (the `RepositoryName` dimension of `AWS/ECR` `RepositoryPullCount`). */
  readonly repositoryName: string;

  /** Alarm when the pulls in one period exceed this number. */
  readonly threshold: number;

  /**
   * The period over which pulls are summed.
   *
   * @default Duration.hours(1)
   */
  readonly period?: Duration;

  /**
   * The number of periods over which the threshold must be exceeded.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;
}

/**
 * The ECR API actions whose usage ECR publishes in `AWS/Usage` (`CallCount`, the `Resource`
 * dimension), each with a per-second rate quota.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/monitoring-usage.html
 */
export enum EcrApi {
  /** `GetAuthorizationToken`: every `docker login`, every pull by ECS, EKS and Lambda. */
  GET_AUTHORIZATION_TOKEN = 'GetAuthorizationToken',
  /** `BatchCheckLayerAvailability` (push). */
  BATCH_CHECK_LAYER_AVAILABILITY = 'BatchCheckLayerAvailability',
  /** `InitiateLayerUpload` (push). */
  INITIATE_LAYER_UPLOAD = 'InitiateLayerUpload',
  /** `UploadLayerPart` (push). */
  UPLOAD_LAYER_PART = 'UploadLayerPart',
  /** `CompleteLayerUpload` (push). */
  COMPLETE_LAYER_UPLOAD = 'CompleteLayerUpload',
  /** `PutImage` (push). */
  PUT_IMAGE = 'PutImage',
  /** `BatchGetImage` (pull: the manifest). */
  BATCH_GET_IMAGE = 'BatchGetImage',
  /** `GetDownloadUrlForLayer` (pull: each layer). */
  GET_DOWNLOAD_URL_FOR_LAYER = 'GetDownloadUrlForLayer',
}

/**
 * Options for an alarm on the use of an ECR API's rate quota.
 */
export interface ApiQuotaAlarmOptions {
  /** The API whose usage is watched. */
  readonly api: EcrApi;

  /**
   * Alarm when the average rate over a period exceeds this percentage of the API's quota.
   *
   * @default 80
   */
  readonly thresholdPercent?: number;

  /**
   * The period over which calls are summed and averaged per second.
   *
   * @default Duration.minutes(1) - the resolution of AWS/Usage
   */
  readonly period?: Duration;

  /**
   * The number of periods over which the threshold must be exceeded.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;
}

/**
 * Sends ECR vulnerability findings at the chosen severities (and, in a registry replicated
 * into, replication failures) to an encrypted SNS topic.
 *
 * EventBridge rules on the default bus:
 * - `EnhancedFindings`: Amazon Inspector `Inspector2 Finding` events (source `aws.inspector2`)
 *   for `AWS_ECR_CONTAINER_IMAGE` resources, `ACTIVE`, at a chosen severity (enhanced scanning);
 * - `BasicFindings`: ECR `ECR Image Scan` events (source `aws.ecr`), scan `COMPLETE`, whose
 *   `finding-severity-counts` has a chosen severity (basic scanning);
 * - `ReplicationFailures` (opt-in): ECR `ECR Replication Action` events with result `FAILED`,
 *   which ECR emits in the destination Region.
 *
 * ECR emits no EventBridge event for managed-signing failures (the `aws.ecr` events are Image
 * Action, Image Scan, Replication Action, Artifact Action, Referrer Action, Scan Resource Change
 * and Pull Through Cache Action), so signing status must be read with
 * `DescribeImageSigningStatus`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced-events.html
 * @example
 * new ScanFindingAlerts(this, 'Alerts', {
 *   severities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH],
 *   repositoryPrefixes: ['prod/'],
 * });
 */
export class ScanFindingAlerts extends Construct {
  /** The topic that receives the alerts. */
  public readonly topic: sns.ITopic;

  /**
   * The key that encrypts the topic, when the construct created it.
   *
   * @default - none when a topic was given
   */
  public readonly key?: kms.IKey;

  private readonly owned?: { readonly topic: sns.Topic; readonly key: kms.Key };

  /** The severities that raise an alert. */
  public readonly severities: FindingSeverity[];

  /** The rule for enhanced-scanning (Inspector) findings. */
  public readonly enhancedFindingsRule: events.Rule;

  /** The rule for basic-scanning findings. */
  public readonly basicFindingsRule: events.Rule;

  /**
   * The rule for replication failures, when enabled.
   *
   * @default - none when replication failures are not alerted on
   */
  public readonly replicationFailuresRule?: events.Rule;

  constructor(scope: Construct, id: string, props: ScanFindingAlertsProps = {}) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, struct('ScanFindingAlertsProps', () => ({
      severities: arrayOf(enumOf('FindingSeverity', () => FindingSeverity), '[FindingSeverity.CRITICAL]'),
      topic: TOPIC,
      repositoryPrefixes: arrayOf(STRING, "['prod/']"),
      includeReplicationFailures: BOOLEAN,
    }))]]);
    super(scope, id);
    this.severities = [...new Set(props.severities ?? [FindingSeverity.CRITICAL, FindingSeverity.HIGH])];
    const problems = new Problems();
    if (props.severities !== undefined && props.severities.length === 0) {
      problems.add('NoSeverities',
        'severities is empty, so no finding would ever alert: list at least one, e.g. [FindingSeverity.CRITICAL]');
    }
    const prefixes = eventPrefixes(problems, props.repositoryPrefixes);
    problems.throwIfAny(this);

    const { topic, target, owned } = alertsTopic(this, props.topic, 'ECR finding alerts');
    this.topic = topic;
    this.key = owned?.key;
    this.owned = owned;
    const prefixMatch = prefixes.map((p) => ({ prefix: p }));

    this.enhancedFindingsRule = new events.Rule(this, 'EnhancedFindings', {
      description: `Amazon Inspector findings on ECR images at ${this.severities.join(', ')}`,
      eventPattern: {
        source: ['aws.inspector2'],
        detailType: ['Inspector2 Finding'],
        detail: {
          severity: this.severities.map(inspectorSeverity),
          status: ['ACTIVE'],
          resources: {
            type: ['AWS_ECR_CONTAINER_IMAGE'],
            ...(prefixes.length > 0 ? { details: { awsEcrContainerImage: { repositoryName: prefixMatch } } } : {}),
          },
        },
      },
      targets: [target],
    });

    const counts = this.severities.map((s) => ({ 'finding-severity-counts': { [s]: [{ numeric: ['>', 0] }] } }));
    this.basicFindingsRule = new events.Rule(this, 'BasicFindings', {
      description: `ECR basic scan findings at ${this.severities.join(', ')}`,
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Scan'],
        detail: {
          'scan-status': ['COMPLETE'],
          ...(prefixes.length > 0 ? { 'repository-name': prefixMatch } : {}),
          ...(counts.length === 1 ? counts[0] : { $or: counts }),
        },
      },
      targets: [target],
    });

    if (props.includeReplicationFailures ?? false) {
      this.replicationFailuresRule = new events.Rule(this, 'ReplicationFailures', {
        description: 'ECR images that failed to replicate',
        eventPattern: {
          source: ['aws.ecr'],
          detailType: ['ECR Replication Action'],
          detail: {
            result: ['FAILED'],
            ...(prefixes.length > 0 ? { 'repository-name': prefixMatch } : {}),
          },
        },
        targets: [target],
      });
    }
  }

  /**
   * Adds an alarm, sent to the topic, when a repository is pulled more than `threshold` times in
   * a period (e.g. to notice unexpected mass downloads): `RepositoryPullCount` in `AWS/ECR`, with
   * the `RepositoryName` dimension. (ECR also publishes API usage in `AWS/Usage`: see
   * `addApiQuotaAlarm`.) On the
   * construct's own topic, the topic and key policies admit CloudWatch for this alarm.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-repository-metrics.html
   */
  public addPullCountAlarm(id: string, options: PullCountAlarmOptions): cloudwatch.Alarm {
    checkArgs(this, [
      ['id', id, required(ID)],
      ['options', options, required(struct('PullCountAlarmOptions', () => ({
        repositoryName: required(withExample(STRING, "'prod/orders'")),
        threshold: required(withExample(NUMBER, '1000')),
        period: DURATION,
        evaluationPeriods: NUMBER,
      }), "{ repositoryName: 'prod/orders', threshold: 1000 }"))],
    ]);
    const problems = new Problems();
    if (!Token.isUnresolved(options.threshold) && (!Number.isFinite(options.threshold) || options.threshold < 0)) {
      problems.add('InvalidAlarmThreshold',
        `threshold ${options.threshold} is not a pull count: use a number >= 0`);
    }
    // A metric of a name no repository can have never gets a data point, so the alarm never fires.
    validateRepositoryName(problems, options.repositoryName, 'repositoryName');
    const evaluationPeriods = options.evaluationPeriods ?? 1;
    if (!Token.isUnresolved(evaluationPeriods) && (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)) {
      problems.add('InvalidEvaluationPeriods',
        `evaluationPeriods ${evaluationPeriods} must be a whole number >= 1`);
    }
    problems.throwIfAny(this);
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/ECR',
      metricName: 'RepositoryPullCount',
      dimensionsMap: { RepositoryName: options.repositoryName },
      statistic: cloudwatch.Stats.SUM,
      period: options.period ?? Duration.hours(1),
    });
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `More than ${options.threshold} pulls of ECR repository ${options.repositoryName} in a period`,
    });
    alarm.addAlarmAction(new cwactions.SnsAction(this.topic));
    if (this.owned) {
      allowAlarm(this.owned.topic, this.owned.key, alarm.alarmArn);
    }
    return alarm;
  }

  /**
   * Adds an alarm, sent to the topic, when an ECR API's calls approach its rate quota (e.g.
   * `GetAuthorizationToken`, which every ECS task start and `docker login` calls): ECR publishes
   * `CallCount` in `AWS/Usage` with the dimensions `Service` = `ECR`, `Type` = `API` and
   * `Resource` = the API (ECR does not use the `Class` dimension), and CloudWatch's
   * `SERVICE_QUOTA()` reads the applied quota. ECR's API quotas are rates per second and
   * `CallCount` sums the calls of a period, so the alarm compares the period's average rate:
   * `100 * (calls / PERIOD(calls)) / SERVICE_QUOTA(calls)`. Bursts shorter than the period are
   * averaged away; throttled calls fail with `ThrottlingException` and are retried by SDKs.
   * AWS does not say whether `SERVICE_QUOTA()` of a rate quota is per second (as the quota is
   * stated) or per period: if it were per period, this alarm would be 60 times less sensitive.
   * Missing data does not breach, so an alarm whose `SERVICE_QUOTA()` returns nothing stays OK.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/monitoring-usage.html
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Quotas-Visualize-Alarms.html
   */
  public addApiQuotaAlarm(id: string, options: ApiQuotaAlarmOptions): cloudwatch.Alarm {
    checkArgs(this, [
      ['id', id, required(ID)],
      ['options', options, required(struct('ApiQuotaAlarmOptions', () => ({
        // The value itself is checked below (UnknownEcrApi), with the list of APIs ECR publishes usage for.
        api: required(withExample(STRING, 'EcrApi.GET_AUTHORIZATION_TOKEN')),
        thresholdPercent: NUMBER,
        period: DURATION,
        evaluationPeriods: NUMBER,
      }), '{ api: EcrApi.GET_AUTHORIZATION_TOKEN }'))],
    ]);
    const problems = new Problems();
    const percent = options.thresholdPercent ?? 80;
    if (!Token.isUnresolved(percent) && (!Number.isFinite(percent) || percent <= 0 || percent > 100)) {
      problems.add('InvalidAlarmThreshold',
        `thresholdPercent ${percent} is not a share of a quota: use a number above 0 and at most 100 (e.g. 80)`);
    }
    const evaluationPeriods = options.evaluationPeriods ?? 3;
    if (!Token.isUnresolved(evaluationPeriods) && (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)) {
      problems.add('InvalidEvaluationPeriods',
        `evaluationPeriods ${evaluationPeriods} must be a whole number >= 1`);
    }
    const period = options.period ?? Duration.minutes(1);
    if (!period.isUnresolved()) {
      const seconds = period.toSeconds();
      // AWS/Usage is published every minute; an alarm's evaluation window is at most one day
      // for periods under an hour.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Usage-Metrics.html
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
      if (seconds < 60 || seconds % 60 !== 0) {
        problems.add('InvalidAlarmPeriod',
          `period ${seconds} s is not a whole number of minutes: AWS/Usage is published every minute, so a shorter ` +
          'period never gets data; use Duration.minutes(1) or more');
      } else if (!Token.isUnresolved(evaluationPeriods) && seconds < 3600 && seconds * evaluationPeriods > 86400) {
        problems.add('InvalidAlarmPeriod',
          `period ${seconds} s x evaluationPeriods ${evaluationPeriods} is longer than one day, which CloudWatch refuses ` +
          'for periods under an hour: use fewer periods or a longer period');
      }
    }
    if (!Object.values(EcrApi).includes(options.api)) {
      problems.add('UnknownEcrApi',
        `api '${options.api}' is not an API ECR publishes usage for: use one of ${Object.values(EcrApi).join(', ')} (EcrApi)`);
    }
    problems.throwIfAny(this);
    const calls = new cloudwatch.Metric({
      namespace: 'AWS/Usage',
      metricName: 'CallCount',
      dimensionsMap: { Service: 'ECR', Type: 'API', Resource: options.api },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    const usage = new cloudwatch.MathExpression({
      expression: '100 * (calls / PERIOD(calls)) / SERVICE_QUOTA(calls)',
      usingMetrics: { calls },
      label: `${options.api} calls per second, % of quota`,
      period,
    });
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: usage,
      threshold: percent,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `ECR ${options.api} calls above ${percent}% of the API's rate quota`,
    });
    alarm.addAlarmAction(new cwactions.SnsAction(this.topic));
    if (this.owned) {
      allowAlarm(this.owned.topic, this.owned.key, alarm.alarmArn);
    }
    return alarm;
  }
}

function inspectorSeverity(s: FindingSeverity): string {
  return s === FindingSeverity.UNDEFINED ? 'UNTRIAGED' : s;
}
