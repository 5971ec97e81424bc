// Quiet the SDK's Node 20 notice; Lambda runs Node 22+, where it does not print.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'ap-northeast-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
// The phone-search index key (functions/privacy/phone-hash.ts); a test value, not a secret.
process.env.PII_HASH_KEY ??= 'test-only-pii-hash-key-0123456789';
