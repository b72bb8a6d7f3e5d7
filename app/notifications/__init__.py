"""Notifications: email rendered into the outbox, and the worker that delivers it."""
