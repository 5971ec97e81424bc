/**
 * Everything that holds data or identity and must outlive a redeploy of the code: the case table, the
 * notification topics and the user pool. The stateless stack receives them as props (CDK wires the references),
 * never by hand-written export names.
 */
import type { Construct } from 'constructs';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { DepartmentsFile } from '../../functions/config/schema';
import type { StageSettings } from '../stage';
import { CaseTable } from '../constructs/case-table';
import { Identity } from '../constructs/identity';
import { NotificationTopics } from '../constructs/notification-topics';

export interface StatefulStackProps extends StackProps {
  settings: StageSettings;
  departments: DepartmentsFile;
}

export class StatefulStack extends Stack {
  readonly table: CaseTable;
  readonly topics: NotificationTopics;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: props.settings.production });
    const { settings, departments } = props;
    this.table = new CaseTable(this, 'Cases', { settings });
    // Short construct ids on purpose: generated topic names (stack-logicalId-suffix) end up in every function's
    // DEPARTMENT_TOPIC_ARNS, and Lambda allows 4 KB of environment in total.
    this.topics = new NotificationTopics(this, 'Topics', { settings, departments });
    this.identity = new Identity(this, 'Identity', { settings });
  }
}
