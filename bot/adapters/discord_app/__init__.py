"""The Discord adapter: slash commands and page buttons over the core, through discord.py."""
