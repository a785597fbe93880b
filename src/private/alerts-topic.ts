import { Stack, Token, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { IRuleRef } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { KMS_TOPIC_PUBLISH_ACTIONS, SNS_PUBLISH_ACTIONS } from './ecr-actions';
import { Problems } from './errors';
import { secureKey } from './secure-key';

/*
 * The encrypted topic that alert constructs create, and the policies that let EventBridge rules
 * and CloudWatch alarms of this account publish to it.
 *
 * Who may publish is decided by the topic policy, with the confused-deputy conditions AWS
 * documents for it (`aws:SourceArn` of the rule or alarm, `aws:SourceAccount`). The key policy
 * admits the two services without those conditions: "Adding the aws:SourceAccount and
 * aws:SourceArn to a AWS KMS policy is not supported for EventBridge-to-encrypted topics"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services),
 * and for CloudWatch alarms no page says the KMS request carries them, so a condition there could
 * drop every alarm silently. The key encrypts this one topic and nothing else.
 */

/** Where an alert construct publishes. */
export interface AlertsTopic {
  /** The topic. */
  readonly topic: sns.ITopic;
  /** The EventBridge target that publishes to it. */
  readonly target: events.IRuleTarget;
  /** The topic and key, when the construct created them (its policies are the construct's to write). */
  readonly owned?: { readonly topic: sns.Topic; readonly key: kms.Key };
}

/**
 * The given topic, published to through aws-cdk-lib's SNS target (its owner writes its
 * policies), or a new encrypted topic the construct owns, published to through `OwnedTopicTarget`.
 */
export function alertsTopic(scope: Construct, given: sns.ITopic | undefined, displayName: string): AlertsTopic {
  if (given) {
    return { topic: given, target: new targets.SnsTopic(given) };
  }
  const owned = encryptedAlertsTopic(scope, displayName);
  return { topic: owned.topic, target: new OwnedTopicTarget(owned.topic, owned.key), owned };
}

/** A CMK-encrypted topic (rotation on) that refuses requests without TLS. */
function encryptedAlertsTopic(scope: Construct, displayName: string): { topic: sns.Topic; key: kms.Key } {
  const key = secureKey(scope, 'Key', {
    description: `Encrypts the ${displayName} topic; EventBridge and CloudWatch may use it to publish`,
    enableKeyRotation: true,
  });
  const topic = new sns.Topic(scope, 'Topic', { displayName, masterKey: key, enforceSSL: true });
  return { topic, key };
}

/**
 * An EventBridge target that publishes to a topic the construct owns: one topic-policy statement
 * per rule, conditioned on the rule's ARN, and one key statement for EventBridge.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
class OwnedTopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.Topic, private readonly key: kms.Key) {}

  public bind(rule: IRuleRef, _id?: string): events.RuleTargetConfig {
    allowService(this.topic, this.key, 'events.amazonaws.com', { ArnEquals: { 'aws:SourceArn': rule.ruleRef.ruleArn } });
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}

/**
 * Lets one CloudWatch alarm publish to a topic the construct owns.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 */
export function allowAlarm(topic: sns.Topic, key: kms.Key, alarmArn: string): void {
  allowService(topic, key, 'cloudwatch.amazonaws.com', { ArnEquals: { 'aws:SourceArn': alarmArn } });
}

const KEY_STATEMENTS = new WeakMap<kms.Key, Set<string>>();

function allowService(topic: sns.Topic, key: kms.Key, service: string, sourceCondition: Record<string, unknown>): void {
  const stack = Stack.of(topic);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(service)],
    actions: SNS_PUBLISH_ACTIONS,
    resources: [topic.topicArn],
    conditions: { ...sourceCondition, StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  const services = KEY_STATEMENTS.get(key) ?? new Set<string>();
  KEY_STATEMENTS.set(key, services);
  if (!services.has(service)) {
    services.add(service);
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: KMS_TOPIC_PUBLISH_ACTIONS,
      resources: ['*'], // in a key policy, '*' means this key
    }));
  }
}

/**
 * Repository name prefixes in event patterns: lowercase repository-name characters.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
const EVENT_PREFIX_PATTERN = /^[a-z0-9][a-z0-9._\/-]{0,255}$/;

/** Checks `repositoryPrefixes` of an alert construct; returns them without duplicates. */
export function eventPrefixes(problems: Problems, given: string[] | undefined): string[] {
  const prefixes = [...new Set(given ?? [])];
  for (const prefix of prefixes) {
    if (!Token.isUnresolved(prefix) && !EVENT_PREFIX_PATTERN.test(prefix)) {
      problems.add('InvalidRepositoryPrefix',
        `repositoryPrefixes entry '${prefix}' cannot start an ECR repository name: use lowercase letters, digits ` +
        'and \'.\', \'_\', \'-\', \'/\', starting with a letter or digit, e.g. \'prod/\'');
    }
  }
  return prefixes;
}
