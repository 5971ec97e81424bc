/**
 * Everything that holds data or identity and must outlive a redeploy of the code: the case table, the attachment bucket, the
 * notification topics, the user pool and, when the stage names a citizen e-mail sender, its SES domain identity.
 * The stateless stack receives them as props (CDK wires the references), never by hand-written export names.
 */
import type { Construct } from 'constructs';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { EmailIdentity, Identity as SesIdentity } from 'aws-cdk-lib/aws-ses';
import type { DepartmentsFile, OperationsFile } from '../../functions/config/schema';
import type { StageSettings } from '../stage';
import { AttachmentBucket } from '../constructs/attachment-bucket';
import { CaseTable } from '../constructs/case-table';
import { Identity } from '../constructs/identity';
import { NotificationTopics } from '../constructs/notification-topics';
import { OperationsTopic } from '../constructs/operations-topic';

export interface StatefulStackProps extends StackProps {
  settings: StageSettings;
  departments: DepartmentsFile;
  operations: OperationsFile;
}

export class StatefulStack extends Stack {
  readonly table: CaseTable;
  /** Case attachments (private; presigned uploads and reads). */
  readonly attachments: AttachmentBucket;
  readonly topics: NotificationTopics;
  readonly identity: Identity;
  /** Where alarms and workflow failures are told (the Operations stack's alarms publish here). */
  readonly operationsTopic: OperationsTopic;
  /** The sender domain of citizen e-mail (context `citydesk:citizenEmailFrom`); absent when the stage has none. */
  readonly citizenEmailIdentity?: EmailIdentity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: props.settings.production });
    const { settings, departments, operations } = props;
    this.table = new CaseTable(this, 'Cases', { settings });
    this.attachments = new AttachmentBucket(this, 'Attachments', { settings });
    this.operationsTopic = new OperationsTopic(this, 'Operations', { settings, operations });
    this.topics = new NotificationTopics(this, 'Topics', { settings, departments });
    // The workflow's ses:SendEmail grant names this identity (and the sender address) by ARN. Easy DKIM: SES
    // verifies the domain once its three CNAME records are in the domain's DNS (see the identity in the console).
    if (settings.citizenEmailFrom) {
      this.citizenEmailIdentity = new EmailIdentity(this, 'CitizenEmail', { identity: SesIdentity.domain(settings.citizenEmailFrom.split('@')[1]) });
      this.citizenEmailIdentity.applyRemovalPolicy(settings.removalPolicy);
    }
    this.identity = new Identity(this, 'Identity', { settings });
    // The user pool sends through the SES identity, which must exist (and be verified) first.
    if (this.citizenEmailIdentity) this.identity.userPool.node.addDependency(this.citizenEmailIdentity);
  }
}
