export * from './registry-endpoints';
