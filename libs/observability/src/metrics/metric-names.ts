/**
 * The metric names of every service, in one place so that a dashboard sees
 * the same name for the same thing wherever it is measured. Labels are
 * low-cardinality only: an error code, a queue name, a job state, an outcome;
 * never a document or user id.
 */
export const MetricName = {
  /** Gauge: open Socket.IO connections of this gateway. */
  Sockets: 'collab_sockets',
  /** Counter{outcome}: joins answered, `ok` or the error code. */
  Joins: 'collab_joins_total',
  /** Counter: operations this process received (gateway: from sockets; doc-service: from gateways). */
  OpsReceived: 'collab_ops_received_total',
  /** Counter: operations acknowledged with a committed version (a resend included). */
  OpsCommitted: 'collab_ops_committed_total',
  /** Counter{code}: operations refused, by error code. */
  OpsRefused: 'collab_ops_refused_total',
  /** Histogram (seconds): operation received to acknowledgement sent. */
  OpAckSeconds: 'collab_op_ack_seconds',
  /** Histogram: operations written by one group commit (one multi-row INSERT). */
  GroupCommitBatchSize: 'collab_group_commit_batch_size',
  CommitStatementDocuments: 'collab_commit_statement_documents',
  CommitStatementSeconds: 'collab_commit_statement_seconds',
  FenceRefusals: 'collab_fence_refusals_total',
  /** Gauge: document actors open on this doc-service. */
  OpenActors: 'collab_open_actors',
  /** Histogram (seconds): loading an actor (snapshot plus later operations). */
  ActorLoadSeconds: 'collab_actor_load_seconds',
  /** Gauge: live doc-service members on the ring as this process sees it. */
  MembershipSize: 'collab_membership_members',
  /** Counter: changes of the live member set seen by this process. */
  RingChanges: 'collab_ring_changes_total',
  /** Counter: open documents this doc-service handed over because their owner changed. */
  RingMoves: 'collab_ring_moved_documents_total',
  /** Gauge{queue,state}: jobs waiting, active, delayed and failed. */
  QueueJobs: 'collab_queue_jobs',
  /** Histogram{queue,outcome} (seconds): one job's processing time. */
  JobSeconds: 'collab_job_duration_seconds',
  /** Counter{reason}: mail jobs given up for good (`poison` payload, `refused` by the server, `exhausted` attempts). */
  MailDeadLetters: 'collab_mail_dead_letters_total',
  /** Counter{transport}: mails sent (`smtp`) or written to the log (`log`). */
  MailsSent: 'collab_mails_sent_total',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];
