"""Daily digests and session alerts: subscriptions, the pure schedule, the message, and the send loop."""
