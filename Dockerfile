# socialguard's container image, installed from the lock file (hash-checked), run as a plain user.
# One image for every role: `serve --no-task-worker` (web), `worker`, `scheduler`, `setup`.
# See docs/deploy.md; compose.yaml runs PostgreSQL, the web server, two workers and the scheduler.
# PYTHON_IMAGE: any Debian-based image with Python 3.11+ and pip on PATH.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SOCIALGUARD_DATA_DIR=/data

WORKDIR /app
# Dependencies first, from the lock file only, so the layer is reused until the lock changes: the
# core with the classifiers and the PostgreSQL driver (extras `classifiers`, `postgres`), not the
# demo data generator. For a smaller image that checks posts with the pattern rules alone, use
# requirements.lock plus `postgres` instead (docs/deploy.md).
COPY requirements-deploy.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-deploy.lock
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --no-deps . \
    && useradd --system --uid 10001 --home-dir /data socialguard \
    && mkdir -p /data \
    && chown socialguard /data \
    && chmod 0700 /data

USER socialguard
VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["socialguard"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--no-task-worker"]
