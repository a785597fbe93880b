export * from './ecr-supply-chain-checks';
export * from './baseline-guardrail';
