/**
 * Case attachments (photos, PDFs): a private bucket the browser uploads to with presigned POSTs and reads from with
 * presigned GETs the API signs after its ownership rules. No public access, TLS only, S3-managed encryption, the
 * bucket owner owns every object; versioned in production (an overwrite or delete can be undone until the
 * noncurrent version expires), access logs in a bucket of their own. Retention erases a case's files (every
 * version) with its personal data; the lifecycle rules clean up what no request ever finished.
 */
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { StageSettings } from '../stage';

/** How long a replaced or deleted version stays recoverable in production. */
export const NONCURRENT_VERSION_DAYS = 30;

export class AttachmentBucket extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: { settings: StageSettings }) {
    super(scope, id);
    const { settings } = props;
    const disposable = { removalPolicy: settings.removalPolicy, autoDeleteObjects: !settings.production };

    this.logBucket = new Bucket(this, 'AccessLogs', {
      ...disposable,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(settings.logRetention) }],
    });
    // No access logs of its own (cdk-nag accepts a bucket that is another bucket's log destination).

    this.bucket = new Bucket(this, 'Files', {
      ...disposable,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: settings.production,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...(settings.production ? [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS) }] : []),
        { id: 'expire-delete-markers', expiredObjectDeleteMarker: true },
      ],
      // The console uploads straight from the browser (presigned POST) and draws thumbnails from presigned GETs.
      // Its URL is its origin (the API's CORS takes it so too), and a token when CDK hosts the console.
      cors: [{ allowedOrigins: [settings.consoleUrl], allowedMethods: [HttpMethods.POST, HttpMethods.GET], allowedHeaders: ['*'], maxAge: 3000 }],
    });
  }
}
