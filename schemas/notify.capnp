# picket-notify: deliveries of alerts to outside channels (bodies of Event, by type).
# One event per delivery attempt. Fields are only ever added.
#
#   type                        body
#   notify.delivery_succeeded   DeliveryAttempt (succeeded = true)
#   notify.delivery_failed      DeliveryAttempt (succeeded = false)
#   notify.delivery_stopped     DeliveryStopped: a retry that was waiting is called off
#                               because the incident was acknowledged, resolved or cancelled
#
# Every delivery ends with exactly one of: delivery_succeeded, delivery_failed with
# willRetry = false, or delivery_stopped.
@0xa3b2418e331c58fb;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct DeliveryAttempt {
  incident @0 :UInt64;
  # The incident of the alert.

  person @1 :Text;
  # Whom the alert was for.

  channel @2 :Text;
  # The channel's name from site.toml (never its URL or secret).

  alertSeq @3 :UInt64;
  # The bus sequence number of the escalation.alert_raised event delivered.

  idempotencyKey @4 :Text;
  # The key sent with every attempt of this delivery (the same across retries).

  attempt @5 :UInt32;
  # 1 for the first attempt.

  succeeded @6 :Bool;
  # True: the receiver answered 2xx.

  httpStatus @7 :UInt16;
  # The receiver's status code; 0 if there was no answer (connection refused, timeout).

  error @8 :Text;
  # Why the attempt failed, for a person; empty on success.

  willRetry @9 :Bool;
  # False after a failure: this was the last attempt (giving up, or the deadline passed).

  nextAttemptAt @10 :Int64;
  # When the next attempt is due (µs since the epoch), if willRetry.

  latency @11 :Int64;
  # µs from the alert's bus receive time to the end of this attempt.
}

struct DeliveryStopped {
  incident @0 :UInt64;
  # The incident of the alert.

  person @1 :Text;
  # Whom the alert was for.

  channel @2 :Text;
  # The channel's name from site.toml.

  alertSeq @3 :UInt64;
  # The bus sequence number of the escalation.alert_raised event whose delivery stopped.

  idempotencyKey @4 :Text;
  # The key its attempts were sent with.

  attempts @5 :UInt32;
  # How many attempts were made (all failed) before it stopped.

  reason @6 :Text;
  # "acknowledged", "resolved" or "cancelled": what happened to the incident.

  causeSeq @7 :UInt64;
  # The bus sequence number of the escalation event that stopped it.
}
