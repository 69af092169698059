# One image for the API (gunicorn) and the workers (celery); docker-compose.yml runs both.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change reuses this layer.
COPY pyproject.toml README.md ./
RUN mkdir -p api matchmaking scheduler worker benchkit \
    && touch api/__init__.py matchmaking/__init__.py scheduler/__init__.py worker/__init__.py \
       benchkit/__init__.py \
    && pip install . \
    && pip uninstall -y clustermeet \
    && rm -rf api matchmaking scheduler worker benchkit build

COPY api ./api
COPY matchmaking ./matchmaking
COPY scheduler ./scheduler
COPY worker ./worker
COPY benchkit ./benchkit
RUN pip install --no-deps . && rm -rf build

# Never run the solvers or the API as root.
RUN useradd --create-home --uid 10001 clustermeet
USER clustermeet
WORKDIR /home/clustermeet
ENV CLUSTERMEET_INSTANCE_PATH=/home/clustermeet/instance

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "api:create_app()"]
