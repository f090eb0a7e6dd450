"""NIP cycle pages. Each view fetches what it needs through a selector that checks access, binds
a form and calls one service. One module per part of a cycle: cycles, steps, priorities, drafts
(with the consultation and the transmission); common holds what they share."""
