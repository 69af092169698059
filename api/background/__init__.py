"""Small background tasks with retries (mail, webhook deliveries), on the job backend.

A task is a function of one row id, registered under a name. It is handed over after
the transaction that wrote its row commits; it runs in the embedded worker thread or,
in the distributed mode, as the Celery task of the same name (``worker.tasks``). A task
that hits a passing failure raises ``RetryLater``; both backends then run it again after
an exponential backoff. The task itself records attempts on its row and stops raising
once it has given up, so the row, not the backend, is the truth.
"""
