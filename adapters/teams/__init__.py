"""The Microsoft Teams adapter: the only place botbuilder is imported."""
