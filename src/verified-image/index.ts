export * from './verified-image';
