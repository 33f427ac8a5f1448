"""The console adapter: Rapport in a terminal, on the same core as Slack and Teams."""
