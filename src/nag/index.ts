export * from './ecr-supply-chain-checks';
