"""Webhooks: partner endpoints, the transactional outbox, signed deliveries with retries."""
