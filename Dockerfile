# kai-match API image: slim Python, non-root, gunicorn with uvicorn workers, health check.
# Production settings: PostgreSQL only. Pass KAI_DATABASE_URL (and KAI_CURSOR_KEYS,
# KAI_WEBHOOK_SECRET_KEYS) at run time;
# README.md, section Docker, shows the first start and how to get the first admin key.
# Pin the base image by digest where you build (`docker buildx imagetools inspect
# python:3.11-slim` prints it): FROM python:3.11-slim@sha256:<digest>.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
# Dependencies first, in a layer of their own (the locked versions, hashes checked): a change
# of the source does not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir --prefix=/install -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --no-deps --prefix=/install .

FROM ${PYTHON_IMAGE}
# Migrations are a one-off step (`kai-match db upgrade`, README: Docker), never a side effect
# of starting several replicas at once.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KAI_ENVIRONMENT=production \
    KAI_AUTO_MIGRATE=false \
    KAI_WORKERS=2 \
    KAI_WORKER_TIMEOUT=60 \
    KAI_GRACEFUL_TIMEOUT=25 \
    KAI_TAXONOMY_DIR=/data/taxonomy
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /data --create-home kai
USER kai
WORKDIR /data
# An imported ESCO taxonomy and backups live here, outside the image.
VOLUME ["/data"]
EXPOSE 8000
# `docker stop` sends SIGTERM: gunicorn gives the workers KAI_GRACEFUL_TIMEOUT to finish their
# requests, so stop with `--stop-timeout 30` or more (Kubernetes' default grace period is 30 s).
# The start period covers a worker's start (KAI_WORKER_TIMEOUT).
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"
# More than one worker: gunicorn supervises uvicorn workers (docs/operations.md, Process model).
CMD ["kai-match", "serve", "--host", "0.0.0.0", "--port", "8000"]
