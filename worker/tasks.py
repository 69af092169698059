"""Tasks take ids and call one function; the logic lives in ``api.solving``, ``api.webhooks``."""

from __future__ import annotations

from celery import shared_task

from api.solving.execute import run_job
from api.solving.runner import RUN_JOB_TASK
from api.webhooks.delivery import DELIVER_TASK, deliver


# acks_late + reject_on_worker_lost: the message is acknowledged only after the job has
# finished, so a worker that dies mid-solve hands the job back to the broker, and
# run_job's one-transaction results make running it again safe.
@shared_task(name=RUN_JOB_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job_task(job_id: int) -> str:
    return run_job(job_id)


@shared_task(name=DELIVER_TASK, acks_late=True, ignore_result=True)
def deliver_webhook_task(delivery_id: int) -> None:
    deliver(delivery_id)
