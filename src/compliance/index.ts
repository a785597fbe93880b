export * from './compliance-profile';
