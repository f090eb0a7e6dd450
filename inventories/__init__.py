import os

# The dataset ingest (polars) shares a worker's two cores with PostgreSQL, which parses and
# indexes the rows it copies in meanwhile: one thread of its own, unless the environment sets it.
# Read when polars is first imported.
os.environ.setdefault("POLARS_MAX_THREADS", "1")
