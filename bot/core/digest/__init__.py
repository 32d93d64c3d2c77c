"""Daily digests and meeting alerts: subscriptions, the pure schedule, the message, and the send loop."""
