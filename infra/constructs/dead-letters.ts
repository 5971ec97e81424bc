/**
 * A dead-letter queue: where a delivery that kept failing (an EventBridge target, an HTTPS subscription) ends up
 * instead of vanishing. Encrypted, TLS only, kept for the longest SQS allows so the runbook has two weeks to
 * look at it; the operations alarms fire on its first message.
 */
import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StageSettings } from '../stage';

export interface DeadLetterQueueProps {
  settings: StageSettings;
  /** What lands here, for the runbook and the alarm: "failed runs of the ErasePersonalData job". */
  holds: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly holds: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.holds = props.holds;
    this.queue = new Queue(this, 'Queue', {
      // SQS-managed keys: EventBridge and SNS can write without a key policy naming them.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.settings.removalPolicy,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.holds}); a message here is looked at by hand and its alarm fires on the first one`,
    });
  }
}
