import { Annotations, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * CloudFormation's limit on resources per stack.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const MAX_RESOURCES_PER_STACK = 500;

/** Warn from this many resources on: a few more repositories and the deploy fails. */
export const RESOURCE_WARNING_THRESHOLD = 450;

const ID = 'SecureRegistryStackLimits';

/**
 * Warns a stack that holds repositories when it nears CloudFormation's resource limit, with
 * what to do instead. (Past 500, aws-cdk-lib itself fails the synth; near it, it only logs
 * an info message that says nothing about repositories.)
 */
class StackLimits extends Construct implements IAspect {
  constructor(scope: Stack) {
    super(scope, ID);
    // An aspect, not a validation: annotations added while validating do not reach the assembly.
    Aspects.of(scope).add(this);
  }

  public visit(node: IConstruct): void {
    if (node === Stack.of(this)) {
      this.check();
    }
  }

  private check(): void {
    const stack = Stack.of(this);
    const count = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
    const fix = 'split the repositories across stacks, or let ECR create them on push from a CREATE_ON_PUSH ' +
      'creation template (SecureRegistry.addCreationTemplate), which needs no resource per repository';
    if (count >= RESOURCE_WARNING_THRESHOLD && count <= MAX_RESOURCES_PER_STACK) {
      Annotations.of(stack).addWarningV2('cdk-secure-registry:nearResourceLimit',
        `stack ${stack.stackName} has ${count} of CloudFormation's ${MAX_RESOURCES_PER_STACK} resources: ${fix}`);
    }
  }
}

/** Adds the stack-limit check to the stack of `scope`, once. */
export function checkStackLimits(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (!stack.node.tryFindChild(ID)) {
    new StackLimits(stack);
  }
}
