"""Mail infrastructure below the workflow: the queue, signed links, who reads how, delivery.

The engine queues transition mails here in the transition's own transaction;
the worker sends them after the commit. Features build on this package; it
imports nothing above the organisation.
"""
