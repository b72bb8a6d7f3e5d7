"""Alembic environment for Flask-Migrate: the app's engine and the models' metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.jobs import is_queue_table

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    # Only configure logging from alembic.ini when run from the command line;
    # inside the app or the tests, keep their logging as it is.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def include_name(name, type_, parent_names) -> bool:
    """Leave procrastinate's tables to its own schema (created by a migration, not by models)."""
    return not (type_ == "table" and is_queue_table(name))


def run_migrations_offline() -> None:
    """Emit SQL for the migrations without connecting."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the app's engine."""

    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with target_db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            process_revision_directives=process_revision_directives,
            compare_type=True,
            include_name=include_name,
            # SQLite alters tables by copying them; batch mode does that for us.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
