# NCM Portal image: the same code runs the web (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NCM_VAR_DIR=/var/lib/ncm

# libpq for psycopg2, Pango and HarfBuzz for WeasyPrint, gettext for the catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential libpq-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ncm_portal ncm_portal
COPY coordination coordination
COPY nip_lifecycle nip_lifecycle
COPY inventories inventories
COPY reporting reporting
RUN pip install -e .
COPY . .

RUN useradd --system --home /var/lib/ncm ncm \
 && mkdir -p /var/lib/ncm/media /var/lib/ncm/mail \
 && DJANGO_SECRET_KEY=build-only DJANGO_STATIC_MANIFEST=1 python manage.py collectstatic --noinput \
 && DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv \
 && chown -R ncm /var/lib/ncm

USER ncm
EXPOSE 8000
CMD ["gunicorn", "ncm_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
