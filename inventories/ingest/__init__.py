"""The dataset ingest's engine, set-wise: ``read`` turns a sniffed file into frames of text
cells, ``cells`` says what each kind of column accepts, ``validate`` applies a schema's columns
and rules (``inventories.schemas``) to a frame, ``derive`` adds the computed columns, and
``write`` copies the accepted and rejected rows into their tables. ``errors``, ``lines`` and
``parse`` hold what the readers share (the read errors, line handling, number and date parsing),
and ``progress`` the running ingest's progress in the cache. The service
(``inventories.services.ingest``) runs them inside the one transaction of a version."""
