/**
 * Case attachments (photos, PDFs): a private bucket the browser uploads to with presigned POSTs and reads from with
 * presigned GETs the API signs after its ownership rules. No public access, TLS only, S3-managed encryption, the
 * bucket owner owns every object; versioned in production (an overwrite or delete can be undone until the
 * noncurrent version expires), access logs in a bucket of their own. Retention erases a case's files (every
 * version) with its personal data; the lifecycle rules clean up what no request ever finished.
 */
import { Construct } from 'constructs';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { StageSettings } from '../stage';

/** How long a replaced or deleted version stays recoverable in production. */
export const NONCURRENT_VERSION_DAYS = 30;

/** Every case's files (domain/attachment.ts `casePrefix`): the only keys any function touches. */
export const CASE_FILES = 'cases/*';

/** What a function does with case files (functions/api/routes.ts HandlerAccess `attachments`). */
export type AttachmentUse = 'read' | 'upload' | 'erase';

export class AttachmentBucket extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  /**
   * One managed policy per use, here beside the bucket, attached to the functions' roles in the stateless stack:
   * `read` GetObject (a presigned GET is the signer's GetObject); `upload` also PutObject (a presigned POST is the
   * signer's PutObject; the object check's HeadObject and ranged GET are GetObject); `erase` lists a case's versions
   * (ListBucketVersions, only under `cases/`) and deletes every one.
   */
  readonly policies: Readonly<Record<AttachmentUse, ManagedPolicy>>;

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

    const files = this.bucket.arnForObjects(CASE_FILES);
    const policy = (id: string, description: string, statements: PolicyStatement[]) => new ManagedPolicy(this, id, { description, statements });
    this.policies = {
      read: policy('ReadCaseFiles', 'CityDesk 1999: sign reads of case files', [new PolicyStatement({ actions: ['s3:GetObject'], resources: [files] })]),
      upload: policy('UploadCaseFiles', 'CityDesk 1999: sign uploads of case files and check what was uploaded', [
        new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [files] }),
      ]),
      erase: policy('EraseCaseFiles', "CityDesk 1999: erase every version of a case's files (retention)", [
        new PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [this.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [CASE_FILES] } } }),
        new PolicyStatement({ actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], resources: [files] }),
      ]),
    };
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    for (const p of Object.values(this.policies))
      Validations.of(p).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${CASE_FILES}]`,
        reason: 'Case files are keyed cases/<caseNo>/<attachment id>, chosen per upload: the grant covers the case files prefix and nothing else',
      });
  }
}
