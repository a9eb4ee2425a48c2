"""Domain events: every write recorded in the same transaction as the change (who, through which
channel, what changed), the audit trail and the outbox webhooks are delivered from."""
