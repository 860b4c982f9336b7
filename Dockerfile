# The portal's production image: gunicorn serving Django/Wagtail, static files
# collected at build time and served by whitenoise. CI runs bin/build-app outside
# Docker on every change so these steps cannot rot.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=site_config.settings.production \
    PORT=8000

# Runtime libraries: WeasyPrint (PDF leaflets) needs pango; fonts with Vietnamese glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY --chown=portal:portal . /app
RUN bin/build-app python && mkdir -p /app/media /app/private_media && chown -R portal:portal /app

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1
CMD ["gunicorn", "site_config.wsgi:application", "--config", "gunicorn.conf.py"]
