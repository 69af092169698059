"""Celery workers that run solver jobs: thin tasks that take ids and call into ``api``.

``celery -A worker.app worker`` (or ``clustermeet worker``) starts one.
"""
