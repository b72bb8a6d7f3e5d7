"""Guards and effects over the SKP's content, registered by import (see workflow.registry)."""
