/** The local SES v2 service: what the local cloud host imports. See README.md. */
export { mergeOutboxes, startSesService, sesOutboxLine, sharedOutboxDir, type SesService, type SesServiceOptions } from './server';
export { MAX_RECIPIENTS } from './ses';
