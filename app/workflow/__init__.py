"""The workflow engine: declarative definitions, the one write path, audit and tasks."""
