import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * The partition of a Region as a literal (`aws`, `aws-cn`, `aws-us-gov`) when the Region is
 * known at synth time, so that ARNs we write stay literal and readable in the template;
 * `${AWS::Partition}` otherwise.
 */
export function partitionOf(stack: Stack, region: string): string {
  if (!Token.isUnresolved(region)) {
    const partition = RegionInfo.get(region).partition;
    if (partition) {
      return partition;
    }
  }
  return stack.partition;
}

/** `arn:<partition>:ecr:<region>:<account>:repository/<name>` (name may end in `*`). */
export function repositoryArn(stack: Stack, account: string, region: string, name: string): string {
  return `arn:${partitionOf(stack, region)}:ecr:${region}:${account}:repository/${name}`;
}
