import { Aspects, IAspect, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What `afterRegistryEndpoints` needs of a `RegistryEndpoints` (no import: no module cycle). */
interface EndpointsLike extends IConstruct {
  readonly vpc: ec2.IVpc;
  readonly ecrApiEndpoint: unknown;
  readonly s3Endpoint: unknown;
}

function isEndpoints(node: IConstruct): node is EndpointsLike {
  const n = node as Partial<EndpointsLike>;
  return n.vpc !== undefined && n.ecrApiEndpoint !== undefined && n.s3Endpoint !== undefined;
}

/**
 * Orders `resource` (a custom resource whose function runs in `vpc`) after every
 * `RegistryEndpoints` of its stack in the same VPC, whenever they are declared: on create the
 * function can reach ECR and CloudFormation's response bucket only once the endpoints exist, and
 * on delete the endpoints then outlive the function's last answer. Without the order,
 * CloudFormation may wait out the custom resource's timeout and fail.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
 */
export function afterRegistryEndpoints(resource: IConstruct, vpc: ec2.IVpc): void {
  const stack = Stack.of(resource);
  const aspect: IAspect = {
    visit(node: IConstruct): void {
      if (isEndpoints(node) && node.vpc === vpc && Stack.of(node) === stack) {
        resource.node.addDependency(node);
      }
    },
  };
  Aspects.of(stack).add(aspect);
}
