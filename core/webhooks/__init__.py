"""Webhooks (Standard Webhooks): endpoints an ATS registers, the outbox of deliveries that
``core.events`` fills in the transaction of each change, and the attempts that deliver them."""
