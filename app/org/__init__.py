"""Organisation services: NIP rules and the reporting line."""
