"""Every write of an Article 15 report goes through these services: ``article15`` (the report,
its sections and transitions), ``article15_answers`` (answers to its questions),
``article15_groups`` (group rows of its trade tables attributed to chemicals) and ``outputs`` (its
rendered files)."""
