# The tradegraph API (FastAPI + the CLI), for docker-compose.yml, which points it at Neo4j
# (TRADEGRAPH_BACKEND=neo4j). On its own it serves the embedded store in /app/data:
#   docker build -t tradegraph . && docker run -p 127.0.0.1:8000:8000 tradegraph
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The package and its data files (ontology, lexicon, explorer page), installed, then the sources go.
COPY pyproject.toml README.md /src/
COPY graph /src/graph
COPY ingest /src/ingest
COPY app /src/app
RUN pip install /src && rm -rf /src

WORKDIR /app
# the seed article and curated facts: `tradegraph ingest seeds/` loads them
COPY seeds ./seeds

RUN useradd --system --create-home --uid 10001 --home-dir /home/tradegraph tradegraph \
    && mkdir -p /app/data \
    && chown tradegraph:tradegraph /app/data
USER tradegraph

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["tradegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
