import { aws_events as events, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { alertsTopic, eventPrefixes } from '../private/alerts-topic';
import { Problems } from '../private/errors';
import { futurePath } from '../private/scope-path';
import { STRING, TOPIC, arrayOf, checkArgs, constructArgs, struct } from '../private/shape';

/**
 * Properties of `ReplicationFailureAlerts`.
 */
export interface ReplicationFailureAlertsProps {
  /**
   * The topic that receives the alerts. An encrypted topic's key policy must let
   * `events.amazonaws.com` use the key (`kms:Decrypt`, `kms:GenerateDataKey*`).
   *
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   * @default - a new topic encrypted with a new customer managed key (rotation on), whose topic
   * policy admits only this construct's rule and denies requests without TLS
   */
  readonly topic?: sns.ITopic;

  /**
   * Only alert for replicated repositories whose name starts with one of these prefixes.
   *
   * @default - every repository replicated into this registry
   */
  readonly repositoryPrefixes?: string[];
}

/**
 * Alerts, on an encrypted SNS topic, when an image fails to replicate into this registry.
 *
 * ECR emits `ECR Replication Action` events in the destination Region (the event's `region` is
 * the destination, `source-region` names the source), so the rule has to live in the stack of
 * the destination registry: a rule in the source Region never fires. `ReplicationDestination`
 * creates one unless `failureAlerts` is false.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 * @example
 * new ReplicationFailureAlerts(this, 'ReplicationFailures', { repositoryPrefixes: ['prod/'] });
 */
export class ReplicationFailureAlerts extends Construct {
  /** The topic that receives the alerts. */
  public readonly topic: sns.ITopic;

  /**
   * The key that encrypts the topic, when the construct created it.
   *
   * @default - none when a topic was given
   */
  public readonly key?: kms.IKey;

  /** The rule on `ECR Replication Action` events with result `FAILED`. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReplicationFailureAlertsProps = {}) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, struct('ReplicationFailureAlertsProps', () => ({
      topic: TOPIC,
      repositoryPrefixes: arrayOf(STRING, "['prod/']"),
    }))]]);
    super(scope, id);
    const problems = new Problems();
    const prefixes = eventPrefixes(problems, props.repositoryPrefixes);
    problems.throwIfAny(this);

    const { topic, target, owned } = alertsTopic(this, props.topic, 'ECR replication failures');
    this.topic = topic;
    this.key = owned?.key;
    this.rule = new events.Rule(this, 'Rule', {
      description: 'ECR images that failed to replicate into this registry',
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Replication Action'],
        detail: {
          result: ['FAILED'],
          ...(prefixes.length > 0 ? { 'repository-name': prefixes.map((p) => ({ prefix: p })) } : {}),
        },
      },
      targets: [target],
    });
  }
}
