"""briefbot: one briefing core answering Discord, Slack and the console from a SQLite store."""
