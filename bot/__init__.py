"""The platform-neutral core: events in, replies and outgoing messages out."""
