# picket-notify: deliveries of alerts to outside channels (bodies of Event, by type).
# One event per delivery attempt. Fields are only ever added.
#
#   type                        body
#   notify.delivery_succeeded   DeliveryAttempt (succeeded = true)
#   notify.delivery_failed      DeliveryAttempt (succeeded = false)
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
