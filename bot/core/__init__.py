"""Platform-neutral briefing core: requests in, replies out. Imports only the standard library."""
