"""Webhooks: subscriptions, the outbox, signing and delivery."""
