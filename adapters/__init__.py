"""The edges of the world: Slack, Teams, the console, the HTTP server, the command line, delivery."""
