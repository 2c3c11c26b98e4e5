# kai-match API image: slim Python, non-root, uvicorn, health check.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --prefix=/install '.[postgres]'

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KAI_DATABASE_URL=sqlite:////data/kai_match.db
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /data --create-home kai
USER kai
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"
CMD ["kai-match", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
