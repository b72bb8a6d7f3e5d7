"""Demo data for development and demonstrations (`flask seed-demo`)."""
