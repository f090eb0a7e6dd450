"""What a Party owes under each convention the mechanism serves, and when: the obligations
register (reference data, ``reference/obligations.json``), its concrete instances with their
due dates, who answers for them and whether they were met on time, the reminders and calendar
entries they make, and the pages per convention and for the country's standing.

Stockholm's Article 15 reports and NIP transmissions are already carried by their own
machinery (reporting rounds, NIP update cycles): they are read from there, not copied."""
