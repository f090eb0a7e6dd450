"""Every write of an Article 15 report goes through these services: ``article15`` (the report,
its sections, answers and transitions) and ``outputs`` (its rendered files)."""
