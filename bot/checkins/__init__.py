"""Check-ins: cadences in each person's time zone, the scheduled jobs, and signals for managers."""
