# kai-match API image: slim Python, non-root, gunicorn with uvicorn workers, health check.
# Production settings: PostgreSQL only. Pass KAI_DATABASE_URL (and KAI_CURSOR_KEYS) at run time;
# README.md, section Docker, shows the first start and how to get the first admin key.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --prefix=/install '.[postgres]'

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KAI_ENVIRONMENT=production \
    KAI_WORKERS=2 \
    KAI_WORKER_TIMEOUT=60 \
    KAI_GRACEFUL_TIMEOUT=25
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /data --create-home kai
USER kai
WORKDIR /data
EXPOSE 8000
# `docker stop` sends SIGTERM: gunicorn gives the workers KAI_GRACEFUL_TIMEOUT to finish their
# requests, so stop with `--stop-timeout 30` or more (Kubernetes' default grace period is 30 s).
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"
# More than one worker: gunicorn supervises uvicorn workers (docs/operations.md, Process model).
CMD ["kai-match", "serve", "--host", "0.0.0.0", "--port", "8000"]
